/** The btrfs storage backend's implementation: a rootfs is a btrfs subvolume, snapshots are COW subvolumes. */
package org.lxj.storage.btrfs.internal;
