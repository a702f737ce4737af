package org.lxj.security.seccomp.internal;

/**
 * A seccomp action with its datum (the errno of {@code ERRNO}, the message of {@code TRACE}). {@link #value()} is
 * the kernel's {@code SECCOMP_RET_*} word, which libseccomp's {@code SCMP_ACT_*} values equal.
 *
 * @param kind what the kernel does
 * @param data the low 16 bits: the errno or trace message, 0 for the others
 */
record Action(Kind kind, int data) {

    static final Action ALLOW = new Action(Kind.ALLOW, 0);
    static final Action KILL_PROCESS = new Action(Kind.KILL_PROCESS, 0);
    static final Action KILL_THREAD = new Action(Kind.KILL_THREAD, 0);
    static final Action TRAP = new Action(Kind.TRAP, 0);
    static final Action LOG = new Action(Kind.LOG, 0);
    static final Action NOTIFY = new Action(Kind.NOTIFY, 0);

    /** The kinds, with their {@code SECCOMP_RET_*} base and their name in {@code actions_avail}. */
    enum Kind {
        KILL_PROCESS(0x80000000, "kill_process"),
        KILL_THREAD(0x00000000, "kill_thread"),
        TRAP(0x00030000, "trap"),
        ERRNO(0x00050000, "errno"),
        NOTIFY(0x7fc00000, "user_notif"),
        TRACE(0x7ff00000, "trace"),
        LOG(0x7ffc0000, "log"),
        ALLOW(0x7fff0000, "allow");

        final int base;
        final String availName;

        Kind(int base, String availName) {
            this.base = base;
            this.availName = availName;
        }
    }

    Action {
        if (data < 0 || data > 0xffff) {
            throw new IllegalArgumentException("Invalid seccomp action datum " + data);
        }
    }

    static Action errno(int errno) {
        return new Action(Kind.ERRNO, errno);
    }

    /** The {@code SECCOMP_RET_*} word. */
    int value() {
        return kind.base | data;
    }

    /** The action a filter's return word means. */
    static Action of(int ret) {
        int base = ret & 0xffff0000;
        // SECCOMP_RET_ACTION_FULL is the top 16 bits; KILL_PROCESS is the only one with bit 31
        for (Kind k : Kind.values()) {
            if (k.base == base) {
                return new Action(k, k == Kind.ERRNO || k == Kind.TRACE ? ret & 0xffff : 0);
            }
        }
        throw new IllegalArgumentException("Unknown seccomp return value 0x" + Integer.toHexString(ret));
    }

    @Override
    public String toString() {
        return kind == Kind.ERRNO || kind == Kind.TRACE ? kind.name() + "(" + data + ")" : kind.name();
    }
}
