/** The loop storage backend's implementation: a rootfs in a filesystem image attached to a loop device. */
package org.lxj.storage.loop.internal;
