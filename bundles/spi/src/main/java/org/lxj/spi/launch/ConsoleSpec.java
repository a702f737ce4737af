package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The container's terminals: its console, its {@code /dev/ttyN} and its devpts instance. The monitor holds
 * every pty master, keeps the console's ring buffer and log, and serves them to {@code lxc-console}.
 *
 * @param console      how the console is provided
 * @param ttys         how many {@code /dev/ttyN} to create, each backed by a pty ({@code lxc.tty.max})
 * @param ttyDir       a directory under {@code /dev} to hold the console and tty nodes, with symlinks in
 *                     {@code /dev} ({@code lxc.tty.dir}); empty for none
 * @param ptyMax       the devpts instance's {@code max} option, 0 for the kernel default ({@code lxc.pty.max})
 * @param logFile      a host file the monitor appends console output to ({@code lxc.console.logfile})
 * @param bufferSize   the size of the in-memory console ring buffer in bytes, 0 for none
 *                     ({@code lxc.console.buffer.size})
 * @param rows         the initial rows of the console pty, 0 to leave the kernel default
 * @param columns      the initial columns of the console pty, 0 to leave the kernel default
 * @param logSize      the size in bytes at which the console log is rotated or truncated, 0 for no limit
 *                     ({@code lxc.console.size})
 * @param logRotate    whether a full console log is rotated to {@code <logFile>.1} rather than truncated
 *                     ({@code lxc.console.rotate})
 */
public record ConsoleSpec(Console console, int ttys, String ttyDir, int ptyMax, Optional<Path> logFile,
        int bufferSize, int rows, int columns, long logSize, boolean logRotate) {

    /** How the container's console and stdio are provided. */
    public enum Console {
        /** A pty the monitor allocates and holds; {@code /dev/console} is bind-mounted from its slave. */
        PTY,
        /** The launcher's own stdio is passed through ({@code lxc-execute} in the foreground, attach). */
        INHERIT,
        /** No console ({@code lxc.console.path = none}); stdio is {@code /dev/null}. */
        NONE
    }

    /** No ttys, a pty console without log or buffer. */
    public static final ConsoleSpec DEFAULT = new ConsoleSpec(Console.PTY, 0, "", 0, Optional.empty(), 0, 0, 0);

    /** A console whose log, if any, grows without limit (the form of {@code org.lxj.spi.launch} 1.1). */
    public ConsoleSpec(Console console, int ttys, String ttyDir, int ptyMax, Optional<Path> logFile, int bufferSize,
            int rows, int columns) {
        this(console, ttys, ttyDir, ptyMax, logFile, bufferSize, rows, columns, 0, false);
    }

    public ConsoleSpec {
        Objects.requireNonNull(console, "console");
        PlanChecks.text("tty directory", ttyDir);
        if (ttyDir.contains("/") || ttyDir.equals(".") || ttyDir.equals("..")) {
            throw new PlanValidationException("tty directory", ttyDir, "must be a single name under /dev");
        }
        if (ttys < 0 || ttys > 1024) {
            throw new PlanValidationException("tty count", Integer.toString(ttys), "must be 0 to 1024");
        }
        if (ptyMax < 0) {
            throw new PlanValidationException("pty maximum", Integer.toString(ptyMax), "must not be negative");
        }
        logFile.ifPresent(p -> PlanChecks.absolute("console log file", p));
        if (bufferSize < 0) {
            throw new PlanValidationException("console buffer size", Integer.toString(bufferSize),
                    "must not be negative");
        }
        if (logSize < 0) {
            throw new PlanValidationException("console log size", Long.toString(logSize), "must not be negative");
        }
        if (rows < 0 || rows > 0xFFFF || columns < 0 || columns > 0xFFFF) {
            throw new PlanValidationException("console size", rows + "x" + columns, "must be 0 to 65535 each");
        }
    }
}
