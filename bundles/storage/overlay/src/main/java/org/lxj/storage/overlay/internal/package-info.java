/** The overlay storage backend's implementation: an overlayfs rootfs over one or more lower directories. */
package org.lxj.storage.overlay.internal;
