package org.lxj.core.internal.config;

import java.util.Locale;
import java.util.Map;

/** Signal names as {@code kill -l} spells them, and LXC's {@code SIGRTMIN+N} / {@code SIGRTMAX-N} forms. */
public final class Signals {
    static final int RTMIN = 34;
    static final int RTMAX = 64;

    private static final Map<String, Integer> NAMES = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4),
            Map.entry("TRAP", 5), Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11),
            Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15),
            Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CLD", 17), Map.entry("CONT", 18),
            Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22),
            Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26),
            Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("POLL", 29),
            Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {
    }

    /**
     * The signal number of {@code value}: a number 1..64, {@code SIGNAME} (case-insensitive),
     * {@code SIGRTMIN[+N]} or {@code SIGRTMAX[-N]}.
     *
     * @param allowZero whether 0 is accepted (for {@code lxc.monitor.signal.pdeath}, where it means none)
     */
    static int parse(String value, boolean allowZero) throws InvalidValueException {
        if (!value.isEmpty() && Character.isDigit(value.charAt(0))) {
            int n = Numbers.parseInt(value, "a signal number");
            if (n < (allowZero ? 0 : 1) || n > RTMAX) {
                throw new InvalidValueException("Invalid signal number " + n + ": expected " + (allowZero ? 0 : 1)
                        + ".." + RTMAX + " or a signal name such as SIGTERM or SIGRTMIN+3");
            }
            return n;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("SIG")) {
            throw unknown(value);
        }
        String name = upper.substring(3);
        Integer known = NAMES.get(name);
        if (known != null) {
            return known;
        }
        if (name.startsWith("RTMIN") || name.startsWith("RTMAX")) {
            boolean min = name.startsWith("RTMIN");
            String rest = name.substring(5);
            int offset = 0;
            if (!rest.isEmpty()) {
                char sign = rest.charAt(0);
                if (sign != (min ? '+' : '-') || rest.length() < 2 || !Numbers.isDigits(rest.substring(1))) {
                    throw unknown(value);
                }
                offset = Numbers.parseInt(rest.substring(1), "a real-time signal offset");
            }
            int n = min ? RTMIN + offset : RTMAX - offset;
            if (n < RTMIN || n > RTMAX) {
                throw new InvalidValueException("Invalid real-time signal \"" + value + "\": expected SIGRTMIN+0.."
                        + (RTMAX - RTMIN) + " or SIGRTMAX-0.." + (RTMAX - RTMIN));
            }
            return n;
        }
        throw unknown(value);
    }

    /**
     * The number of a signal value that the parser has already accepted ({@code lxc.signal.*}).
     *
     * @throws IllegalArgumentException with the parser's reason when {@code value} is not a signal
     */
    public static int number(String value) {
        try {
            return parse(value.trim(), false);
        } catch (InvalidValueException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static InvalidValueException unknown(String value) {
        return new InvalidValueException("Unknown signal \"" + value
                + "\": expected a number or a name such as SIGTERM, SIGPWR, SIGRTMIN+3");
    }
}
