/** The lvm storage backend's implementation: a rootfs on a logical volume, thin snapshots, via the lvm2 tools. */
package org.lxj.storage.lvm.internal;
