package org.lxj.spi.storage;

/** What a storage backend can do beyond create, mount and destroy. */
public enum StorageCapability {
    /** Copy-on-write snapshots of a rootfs ({@code lxc-snapshot}, {@code lxc-copy -s}). */
    SNAPSHOT,
    /** Full copies into this backend ({@code lxc-copy}, {@code lxc-create -B X} from another backend). */
    CLONE,
    /** Changing the size of a rootfs ({@code --fssize} on copy). */
    RESIZE
}
