package org.lxj.launcher;

import java.time.Instant;

/**
 * How a container's init ended, as the monitor records it in {@code <run>/exit}:
 * {@code exit=N signal=S time=SECONDS.NANOS}.
 *
 * @param code   the exit code, or -1 when killed by a signal
 * @param signal the terminating signal, or 0
 * @param time   when the monitor reaped init
 */
public record ExitStatus(int code, int signal, Instant time) {

    /**
     * Parses one exit line.
     *
     * @param line the line
     * @return the status
     * @throws IllegalArgumentException when the line is malformed
     */
    public static ExitStatus parse(String line) {
        Integer code = null;
        Integer signal = null;
        Instant time = null;
        for (String field : line.trim().split(" ")) {
            int eq = field.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("Malformed exit record \"" + line.trim() + "\"");
            }
            String key = field.substring(0, eq);
            String value = field.substring(eq + 1);
            try {
                switch (key) {
                    case "exit" -> code = Integer.parseInt(value);
                    case "signal" -> signal = Integer.parseInt(value);
                    case "time" -> {
                        int dot = value.indexOf('.');
                        time = Instant.ofEpochSecond(Long.parseLong(value.substring(0, dot)),
                                Long.parseLong(value.substring(dot + 1)));
                    }
                    default -> { }
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Malformed exit record \"" + line.trim() + "\"", e);
            }
        }
        if (code == null || signal == null || time == null) {
            throw new IllegalArgumentException("Incomplete exit record \"" + line.trim() + "\"");
        }
        return new ExitStatus(code, signal, time);
    }
}
