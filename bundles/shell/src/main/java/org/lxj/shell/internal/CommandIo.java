package org.lxj.shell.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Process;

/**
 * Where a command writes and what it knows about the terminal it writes to.
 *
 * @param out   standard output of the command (Gogo's pipe, so {@code | grep} works)
 * @param err   standard error of the command
 * @param tty   whether standard output is an interactive terminal; false when in doubt
 * @param width the terminal's width in columns, 0 when there is no terminal
 * @param cwd   the session's current directory, against which relative paths are resolved
 */
public record CommandIo(PrintStream out, PrintStream err, boolean tty, int width, Path cwd) {

    public CommandIo {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(cwd, "cwd");
        if (!tty) {
            width = 0;
        }
    }

    /** The streams and terminal of the Gogo command running now in {@code session}. */
    public static CommandIo of(CommandSession session) {
        Process process = Process.Utils.current();
        PrintStream out = process != null ? process.out() : System.out;
        PrintStream err = process != null ? process.err() : System.err;
        int width = TerminalWidth.of(session);
        boolean tty = process != null && process.isTty(1) && width > 0;
        Path cwd = session.currentDir() != null ? session.currentDir() : Path.of("").toAbsolutePath();
        return new CommandIo(out, err, tty, width, cwd);
    }

    /** Resolves a path the user typed against the session's current directory. */
    public Path resolve(String path) {
        return cwd.resolve(path).normalize();
    }
}
