package org.lxj.spi.host;

/** How the host mounts cgroups. */
public enum CgroupLayout {
    /** Only v1 hierarchies (CentOS 7 era). */
    LEGACY,
    /** v1 hierarchies for most controllers plus a cgroup2 mount (usually {@code /sys/fs/cgroup/unified}). */
    HYBRID,
    /** A single cgroup2 hierarchy at {@code /sys/fs/cgroup}. */
    UNIFIED,
    /** No cgroup filesystem is mounted. */
    NONE
}
