package org.lxj.linux;

/** {@code f_type} values returned by {@link Syscalls#statfs(String)} (from {@code linux/magic.h}). */
public final class FsMagic {
    public static final long TMPFS = 0x01021994L;
    public static final long PROC = 0x9fa0L;
    public static final long SYSFS = 0x62656572L;
    public static final long CGROUP = 0x27e0ebL;
    public static final long CGROUP2 = 0x63677270L;
    public static final long OVERLAYFS = 0x794c7630L;
    public static final long BTRFS = 0x9123683eL;
    public static final long EXT4 = 0xef53L;
    public static final long XFS = 0x58465342L;
    public static final long DEVPTS = 0x1cd1L;
    public static final long SECURITYFS = 0x73636673L;

    private FsMagic() {
    }
}
