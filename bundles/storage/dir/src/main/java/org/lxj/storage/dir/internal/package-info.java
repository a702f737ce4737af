/** The dir storage backend's implementation: a rootfs that is a plain directory. */
package org.lxj.storage.dir.internal;
