package org.lxj.launcher;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The terminal of an attached command ({@code lxc-attach} when a standard fd of the caller is a terminal): the
 * launcher opens a new pty of the container's devpts after joining its mount namespace, makes the slave the
 * command's controlling terminal and its fd 0, 1 or 2 where this says so (the other fds are passed straight
 * through, so {@code </dev/null}, {@code >file} and {@code 2>file} behave as in LXC), and relays the caller's
 * fds to the master: its stdin to the master when {@link #stdin}, the master to its stdout ({@link #stdout}),
 * else its stderr, else its stdin. Caller fds that are terminals are put in raw mode while it relays and
 * restored afterwards; the caller's terminal itself never reaches the command.
 *
 * @param stdin   the slave replaces the command's stdin
 * @param stdout  the slave replaces the command's stdout
 * @param stderr  the slave replaces the command's stderr
 * @param log     a host file the pty's output is appended to as well ({@code lxc-attach -L}), opened before the
 *                launcher joins any namespace
 * @param rows    the window's rows when the caller's fds are no terminal (relayed streams), 0 to copy the size
 *                from the caller's terminal
 * @param columns the window's columns, with {@code rows}
 */
public record AttachPty(boolean stdin, boolean stdout, boolean stderr, Optional<Path> log, int rows, int columns) {

    /** Checks the values. */
    public AttachPty {
        if (!stdin && !stdout && !stderr) {
            throw new IllegalArgumentException("A pty for none of stdin, stdout and stderr");
        }
        Objects.requireNonNull(log, "log");
        log.ifPresent(l -> {
            if (!l.isAbsolute()) {
                throw new IllegalArgumentException("Pty log \"" + l + "\" is not absolute");
            }
        });
        if (rows < 0 || rows > 0xFFFF || columns < 0 || columns > 0xFFFF || (rows == 0) != (columns == 0)) {
            throw new IllegalArgumentException("Invalid pty size " + rows + "x" + columns);
        }
    }

    /**
     * A pty for the std fds that are terminals, the size copied from the caller's terminal.
     *
     * @param stdin  whether the caller's stdin is a terminal
     * @param stdout whether its stdout is
     * @param stderr whether its stderr is
     * @param log    the pty log, if any
     * @return the request
     */
    public static AttachPty forTerminals(boolean stdin, boolean stdout, boolean stderr, Optional<Path> log) {
        return new AttachPty(stdin, stdout, stderr, log, 0, 0);
    }

    /** @return the TTY_* mask of the std fds the slave replaces */
    public int mask() {
        return (stdin ? Protocol.TTY_IN : 0) | (stdout ? Protocol.TTY_OUT : 0) | (stderr ? Protocol.TTY_ERR : 0);
    }
}
