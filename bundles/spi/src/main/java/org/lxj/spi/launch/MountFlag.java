package org.lxj.spi.launch;

import java.util.Collection;

/**
 * The {@code MS_*} flags of {@code mount(2)} a plan may use. Propagation is not a flag here: it is
 * {@link Propagation}, applied separately as the kernel requires.
 */
public enum MountFlag {
    RDONLY(1L), NOSUID(2L), NODEV(4L), NOEXEC(8L), SYNCHRONOUS(16L), REMOUNT(32L), MANDLOCK(64L),
    DIRSYNC(128L), NOSYMFOLLOW(256L), NOATIME(1024L), NODIRATIME(2048L), BIND(4096L), MOVE(8192L),
    REC(16384L), SILENT(32768L), RELATIME(1L << 21), STRICTATIME(1L << 24), LAZYTIME(1L << 25);

    private final long value;

    MountFlag(long value) {
        this.value = value;
    }

    /** The flag's value. */
    public long value() {
        return value;
    }

    /** The OR of a set of flags, as {@code mount(2)} takes them. */
    public static long mask(Collection<MountFlag> flags) {
        long m = 0;
        for (MountFlag f : flags) {
            m |= f.value;
        }
        return m;
    }
}
