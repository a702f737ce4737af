package org.lxj.shell.internal;

import java.io.IOException;
import java.util.Optional;

/**
 * The caller's side of a console relay ({@code lxc-console}, {@code lxc-start -F}): where keystrokes come from and
 * output goes, and the caller's terminal when there is one. Implemented over the fds a client handed to the daemon
 * (or the one-command mode's own fds), over the interactive shell's JLine terminal, and over plain streams.
 */
interface ConsoleViewer {

    /** A window size in character cells. */
    record Size(int rows, int columns) {
    }

    /** Whether keystrokes come from a terminal, which {@link #raw()} puts into raw mode. */
    boolean terminal();

    /**
     * Reads keystrokes into {@code buffer}: the number read, 0 when none came within {@code timeoutMillis}, -1 at the
     * end of input.
     */
    int read(byte[] buffer, int timeoutMillis) throws IOException;

    /** Writes the container's output to the caller, at once. */
    void write(byte[] b, int off, int len) throws IOException;

    /** The caller's window size, empty without a terminal. */
    Optional<Size> size();

    /**
     * Puts the caller's terminal into raw mode until the returned handle is closed, which restores the mode it had;
     * does nothing without a terminal.
     */
    AutoCloseable raw() throws IOException;

    /**
     * Runs {@code hook} whenever the caller's window size changes, as far as this viewer learns of it, until the
     * returned handle is closed.
     */
    AutoCloseable onResize(Runnable hook);
}
