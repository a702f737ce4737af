package org.lxj.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The terminal of an {@code lxc-attach} whose caller has one: the command runs on a new pty of the container, the
 * slave replacing each of its standard fds that is a terminal at the caller; fds that are not (a file, a pipe,
 * {@code /dev/null}) are passed straight through, as LXC does. The caller's terminal itself never reaches the
 * container: the runtime relays it to the pty and keeps it in raw mode meanwhile.
 *
 * @param stdin   the caller's stdin is a terminal
 * @param stdout  the caller's stdout is a terminal
 * @param stderr  the caller's stderr is a terminal
 * @param log     a host file the pty's output is appended to ({@code lxc-attach -L})
 * @param rows    the window's rows when the caller's streams are relayed (no fd of a terminal), else 0: the size is
 *                copied from the caller's terminal
 * @param columns the window's columns, with {@code rows}
 * @param started called once the command runs, with the handle that follows the caller's window size
 * @since 1.6
 */
public record AttachTerminal(boolean stdin, boolean stdout, boolean stderr, Optional<Path> log, int rows, int columns,
        Consumer<Resizer> started) {

    /** Follows the caller's window: the command's pty gets the new size and the command SIGWINCH. */
    public interface Resizer {
        /** Copies the size of the caller's terminal (the fds the command was given) to the pty. */
        void resize();

        /**
         * Sets this size on the pty (callers whose streams are relayed).
         *
         * @param rows    1..65535
         * @param columns 1..65535
         */
        void resize(int rows, int columns);
    }

    /** Checks the values. */
    public AttachTerminal {
        if (!stdin && !stdout && !stderr) {
            throw new IllegalArgumentException("A terminal for none of stdin, stdout and stderr");
        }
        Objects.requireNonNull(log, "log");
        if (rows < 0 || rows > 0xFFFF || columns < 0 || columns > 0xFFFF || (rows == 0) != (columns == 0)) {
            throw new IllegalArgumentException("Invalid window size " + rows + "x" + columns);
        }
        started = started == null ? r -> { } : started;
    }
}
