package org.lxj.spi.launch;

import java.util.Collection;

/** {@code SECCOMP_FILTER_FLAG_*} flags for loading a filter. */
public enum SeccompFilterFlag {
    /** Synchronize all threads of the process (the launcher is single-threaded; kept for completeness). */
    TSYNC(1),
    /** Log every action except {@code RET_ALLOW}. */
    LOG(2),
    /** Keep speculative store bypass mitigation off. */
    SPEC_ALLOW(4),
    /** Return a user-notification listener fd ({@code notify} rules); the monitor receives it. */
    NEW_LISTENER(8),
    /** Wait killably for the supervisor's notification reply. */
    WAIT_KILLABLE_RECV(32);

    private final int value;

    SeccompFilterFlag(int value) {
        this.value = value;
    }

    /** The flag's value. */
    public int value() {
        return value;
    }

    /** The OR of a set of flags. */
    public static int mask(Collection<SeccompFilterFlag> flags) {
        int m = 0;
        for (SeccompFilterFlag f : flags) {
            m |= f.value;
        }
        return m;
    }
}
