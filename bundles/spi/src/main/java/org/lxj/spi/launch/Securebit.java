package org.lxj.spi.launch;

import java.util.Collection;

/** The {@code SECBIT_*} flags of {@code PR_SET_SECUREBITS}, each with its bit number. */
public enum Securebit {
    NOROOT(0), NOROOT_LOCKED(1), NO_SETUID_FIXUP(2), NO_SETUID_FIXUP_LOCKED(3), KEEP_CAPS(4), KEEP_CAPS_LOCKED(5),
    NO_CAP_AMBIENT_RAISE(6), NO_CAP_AMBIENT_RAISE_LOCKED(7);

    private final int bit;

    Securebit(int bit) {
        this.bit = bit;
    }

    /** The bit number ({@code SECURE_*}). */
    public int bit() {
        return bit;
    }

    /** The value {@code prctl(PR_SET_SECUREBITS)} takes for a set of bits. */
    public static int mask(Collection<Securebit> bits) {
        int m = 0;
        for (Securebit b : bits) {
            m |= 1 << b.bit;
        }
        return m;
    }
}
