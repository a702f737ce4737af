package org.lxj.spi.cgroup;

/** What a cgroup backend can do beyond create, apply, attach and destroy. */
public enum CgroupCapability {
    /** Freezing and thawing ({@code lxc-freeze}, {@code lxc-unfreeze}). */
    FREEZE,
    /** Killing every process of the container at once ({@code cgroup.kill}), not one by one. */
    KILL_ALL,
    /** Placing init with {@code clone3(CLONE_INTO_CGROUP)}. */
    CLONE_INTO,
    /** Device access rules ({@code devices.allow}/{@code deny}, as a v1 file or a v2 BPF program). */
    DEVICES,
    /** Delegating a writable subtree to the container (cgroup namespace with a writable {@code /sys/fs/cgroup}). */
    DELEGATE
}
