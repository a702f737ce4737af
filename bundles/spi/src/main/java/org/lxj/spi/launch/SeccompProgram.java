package org.lxj.spi.launch;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * A compiled classic-BPF seccomp filter, loaded by the launcher as late as the capability rules allow
 * (after {@code no_new_privs}, or before the capability drop when the plan does not set it). The launcher
 * never interprets the program; it checks only the length and passes the bytes to
 * {@code seccomp(SECCOMP_SET_MODE_FILTER)}.
 *
 * @param filter the {@code struct sock_filter} array in host byte order: 8 bytes per instruction, at most
 *               {@link #MAX_INSTRUCTIONS}
 * @param flags  the flags to load it with; {@link SeccompFilterFlag#NEW_LISTENER} asks for a notification fd
 */
public record SeccompProgram(byte[] filter, Set<SeccompFilterFlag> flags) {

    /** {@code BPF_MAXINSNS}. */
    public static final int MAX_INSTRUCTIONS = 4096;
    /** The size of one {@code struct sock_filter}. */
    public static final int INSTRUCTION_SIZE = 8;

    public SeccompProgram {
        filter = filter.clone();
        if (filter.length == 0 || filter.length % INSTRUCTION_SIZE != 0) {
            throw new PlanValidationException("seccomp filter length", Integer.toString(filter.length),
                    "must be a positive multiple of " + INSTRUCTION_SIZE);
        }
        if (filter.length / INSTRUCTION_SIZE > MAX_INSTRUCTIONS) {
            throw new PlanValidationException("seccomp filter length",
                    Integer.toString(filter.length / INSTRUCTION_SIZE) + " instructions",
                    "exceeds the kernel's limit of " + MAX_INSTRUCTIONS);
        }
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    /** A copy of the program bytes. */
    @Override
    public byte[] filter() {
        return filter.clone();
    }

    /** How many instructions the program has. */
    public int instructions() {
        return filter.length / INSTRUCTION_SIZE;
    }

    /** Whether the filter has notify rules, so the launcher must pass the listener fd to the monitor. */
    public boolean notifies() {
        return flags.contains(SeccompFilterFlag.NEW_LISTENER);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SeccompProgram p && Arrays.equals(filter, p.filter) && flags.equals(p.flags);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(filter) + flags.hashCode();
    }

    @Override
    public String toString() {
        return "SeccompProgram[" + instructions() + " instructions, flags=" + flags + "]";
    }
}
