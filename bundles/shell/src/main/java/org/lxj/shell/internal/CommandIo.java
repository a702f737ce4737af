package org.lxj.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Process;
import org.lxj.api.Stdio;

/**
 * Where a command reads and writes and what it knows about the terminal it writes to.
 *
 * @param out          standard output of the command (Gogo's pipe, so {@code | grep} works)
 * @param err          standard error of the command
 * @param tty          whether standard output is an interactive terminal; false when in doubt
 * @param width        the terminal's width in columns, 0 when there is no terminal
 * @param cwd          the session's current directory, against which relative paths are resolved
 * @param in           standard input of the command (Gogo's pipe or the session's keyboard)
 * @param inheritStdio whether the session's streams are the runtime process's own fds 0–2, so a command run in
 *                     a container can be given them directly (session variable {@value #INHERIT_VARIABLE})
 */
public record CommandIo(PrintStream out, PrintStream err, boolean tty, int width, Path cwd, InputStream in,
        boolean inheritStdio) {

    /**
     * The session variable the one-command launcher ({@code bin/lxj CMD ...}) sets to {@code true}: its
     * session's streams are the process's fds 0–2, which {@code lxc-execute} and {@code lxc-attach} then hand
     * to the container's process directly ({@link Stdio#INHERIT}) instead of relaying them.
     */
    public static final String INHERIT_VARIABLE = "lxj.inherit.stdio";

    public CommandIo {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(in, "in");
        if (!tty) {
            width = 0;
        }
    }

    /** Output-only streams: no input, never inherited (for commands that read nothing). */
    public CommandIo(PrintStream out, PrintStream err, boolean tty, int width, Path cwd) {
        this(out, err, tty, width, cwd, InputStream.nullInputStream(), false);
    }

    /** The streams and terminal of the Gogo command running now in {@code session}. */
    public static CommandIo of(CommandSession session) {
        Process process = Process.Utils.current();
        PrintStream out = process != null ? process.out() : System.out;
        PrintStream err = process != null ? process.err() : System.err;
        InputStream in = process != null ? process.in() : session.getKeyboard();
        int width = TerminalWidth.of(session);
        boolean tty = process != null && process.isTty(1) && width > 0;
        Path cwd = session.currentDir() != null ? session.currentDir() : Path.of("").toAbsolutePath();
        return new CommandIo(out, err, tty, width, cwd, in != null ? in : InputStream.nullInputStream(),
                isTrue(session.get(INHERIT_VARIABLE)));
    }

    private static boolean isTrue(Object value) {
        return value != null && Boolean.parseBoolean(value.toString().trim());
    }

    /** Resolves a path the user typed against the session's current directory. */
    public Path resolve(String path) {
        return cwd.resolve(path).normalize();
    }

    /**
     * The streams a command run in a container gets: the process's own fds when the launcher said the session
     * has them ({@link Stdio#INHERIT}), else this command's input, output and error, relayed by the runtime.
     */
    public Stdio stdio() {
        return inheritStdio ? Stdio.INHERIT : new Stdio(in, out, err);
    }
}
