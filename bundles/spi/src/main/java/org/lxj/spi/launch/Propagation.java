package org.lxj.spi.launch;

/** Mount propagation types, applied with a separate {@code mount(2)} call after the mount itself. */
public enum Propagation {
    PRIVATE(1L << 18, false), RPRIVATE(1L << 18, true),
    SLAVE(1L << 19, false), RSLAVE(1L << 19, true),
    SHARED(1L << 20, false), RSHARED(1L << 20, true),
    UNBINDABLE(1L << 17, false), RUNBINDABLE(1L << 17, true);

    private static final long MS_REC = 1L << 14;

    private final long flag;
    private final boolean recursive;

    Propagation(long flag, boolean recursive) {
        this.flag = flag;
        this.recursive = recursive;
    }

    /** The {@code MS_*} flags for the propagation call, {@code MS_REC} included for the r-variants. */
    public long flags() {
        return recursive ? flag | MS_REC : flag;
    }

    /** The option name as fstab and {@code lxc.mount.entry} write it: {@code rslave}, {@code private}, ... */
    public String optionName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
