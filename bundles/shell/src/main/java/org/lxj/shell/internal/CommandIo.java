package org.lxj.shell.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

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
 * @param fds          the runtime process's fds behind the session's streams, which a command run in a container
 *                     can be given directly: its own 0–2 (session variable {@value #INHERIT_VARIABLE}) or the fds a
 *                     client handed to the daemon ({@value #FDS_VARIABLE}); empty when the streams are relayed
 */
public record CommandIo(PrintStream out, PrintStream err, boolean tty, int width, Path cwd, InputStream in,
        Optional<Stdio.Fds> fds) {

    /**
     * The session variable the one-command launcher ({@code bin/lxj CMD ...}) sets to {@code true}: its
     * session's streams are the process's fds 0–2, which {@code lxc-execute} and {@code lxc-attach} then hand
     * to the container's process directly ({@link Stdio#INHERIT}) instead of relaying them.
     */
    public static final String INHERIT_VARIABLE = "lxj.inherit.stdio";

    /**
     * The session variable the daemon's control socket sets to {@code "in,out,err"}: the numbers of the fds a
     * client handed over, behind the session's streams, which commands hand to the container's process.
     */
    public static final String FDS_VARIABLE = "lxj.stdio.fds";

    /**
     * The session variable the daemon sets to the client's terminal width (an Integer) when the client's
     * stdout is a terminal; used when the session has no JLine terminal of its own.
     */
    public static final String WIDTH_VARIABLE = "lxj.terminal.width";

    public CommandIo {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(cwd, "cwd");
        Objects.requireNonNull(in, "in");
        fds = fds == null ? Optional.empty() : fds;
        if (!tty) {
            width = 0;
        }
    }

    /** Streams that are the runtime process's own fds 0–2 ({@code inheritStdio}) or relayed. */
    public CommandIo(PrintStream out, PrintStream err, boolean tty, int width, Path cwd, InputStream in,
            boolean inheritStdio) {
        this(out, err, tty, width, cwd, in, inheritStdio ? Stdio.INHERIT.fds() : Optional.empty());
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
        if (width == 0 && session.get(WIDTH_VARIABLE) instanceof Number n) {
            width = Math.max(0, n.intValue());
        }
        boolean tty = process != null && process.isTty(1) && width > 0;
        Path cwd = session.currentDir() != null ? session.currentDir() : Path.of("").toAbsolutePath();
        Optional<Stdio.Fds> fds = handedFds(session.get(FDS_VARIABLE));
        if (fds.isEmpty() && isTrue(session.get(INHERIT_VARIABLE))) {
            fds = Stdio.INHERIT.fds();
        }
        return new CommandIo(out, err, tty, width, cwd, in != null ? in : InputStream.nullInputStream(), fds);
    }

    /** The fds of {@value #FDS_VARIABLE}: three numbers, "in,out,err"; anything else is ignored. */
    static Optional<Stdio.Fds> handedFds(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        String[] parts = value.toString().trim().split(",");
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Stdio.Fds(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether a command run in a container gets fds of the runtime process rather than relayed streams. */
    public boolean inheritStdio() {
        return fds.isPresent();
    }

    private static boolean isTrue(Object value) {
        return value != null && Boolean.parseBoolean(value.toString().trim());
    }

    /** Resolves a path the user typed against the session's current directory. */
    public Path resolve(String path) {
        return cwd.resolve(path).normalize();
    }

    /**
     * The streams a command run in a container gets: the fds behind the session's streams when the launcher or
     * the daemon said which they are ({@link Stdio#ofFds}), else this command's input, output and error, relayed
     * by the runtime.
     */
    public Stdio stdio() {
        if (fds.equals(Stdio.INHERIT.fds())) {
            return Stdio.INHERIT;
        }
        return fds.map(Stdio::ofFds).orElseGet(() -> new Stdio(in, out, err));
    }
}
