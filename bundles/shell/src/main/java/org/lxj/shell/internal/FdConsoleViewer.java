package org.lxj.shell.internal;

import java.io.IOException;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.lxj.api.Stdio;
import org.lxj.linux.Errno;
import org.lxj.linux.PollEvents;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.Terminals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A viewer on fds of this process: those a client handed to the daemon ({@code lxj.stdio.fds}) or the one-command
 * mode's own 0–2. Keystrokes are read from the input fd with {@code poll(2)} and {@code read(2)}, its terminal mode
 * is set with {@code TCSETS}, the window size read with {@code TIOCGWINSZ}. The daemon reports the client's
 * {@code SIGWINCH} through the session variable {@value #RESIZE_VARIABLE}.
 */
final class FdConsoleViewer implements ConsoleViewer {
    /** Set for a command's duration to a {@link Runnable} the daemon runs when the client's window size changes. */
    static final String RESIZE_VARIABLE = "lxj.terminal.resize";

    private static final Logger LOG = LoggerFactory.getLogger(FdConsoleViewer.class);

    private final Syscalls sys;
    private final Stdio.Fds fds;
    private final Optional<CommandSession> session;
    private final boolean terminal;

    FdConsoleViewer(Syscalls sys, Stdio.Fds fds, Optional<CommandSession> session) {
        this.sys = sys;
        this.fds = fds;
        this.session = session;
        this.terminal = Terminals.isTerminal(sys, fds.in());
    }

    @Override
    public boolean terminal() {
        return terminal;
    }

    @Override
    public int read(byte[] buffer, int timeoutMillis) throws IOException {
        try {
            short[] r = sys.poll(new int[] {fds.in()}, PollEvents.POLLIN, timeoutMillis);
            if (r[0] == 0) {
                return 0;
            }
            int n = sys.read(fds.in(), buffer, 0, buffer.length);
            return n == 0 ? -1 : n;
        } catch (SyscallException e) {
            if (e.is(Errno.EINTR) || e.is(Errno.EAGAIN)) {
                return 0;
            }
            throw new IOException("Failed to read the caller's input (fd " + fds.in() + "): " + e.getMessage(), e);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            try {
                done += sys.write(fds.out(), b, off + done, len - done);
            } catch (SyscallException e) {
                if (!e.is(Errno.EINTR)) {
                    throw new IOException("Failed to write to the caller (fd " + fds.out() + "): " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public Optional<Size> size() {
        for (int fd : new int[] {fds.in(), fds.out()}) {
            try {
                Terminals.WindowSize s = Terminals.size(sys, fd);
                if (s.rows() > 0 && s.columns() > 0) {
                    return Optional.of(new Size(s.rows(), s.columns()));
                }
            } catch (SyscallException notATerminal) {
                // try the next fd
            }
        }
        return Optional.empty();
    }

    @Override
    public AutoCloseable raw() throws IOException {
        if (!terminal) {
            return () -> { };
        }
        Terminals.Mode saved;
        try {
            saved = Terminals.get(sys, fds.in());
            Terminals.set(sys, fds.in(), saved.raw());
        } catch (SyscallException e) {
            throw new IOException("Failed to set the caller's terminal (fd " + fds.in() + ") to raw mode: "
                    + e.getMessage(), e);
        }
        return () -> {
            try {
                Terminals.set(sys, fds.in(), saved);
            } catch (SyscallException e) {
                // the caller's terminal is gone (its client hung up): there is nothing left to restore
                LOG.debug("Failed to restore the terminal mode of fd {}: {}", fds.in(), e.getMessage());
            }
        };
    }

    @Override
    public AutoCloseable onResize(Runnable hook) {
        if (session.isEmpty()) {
            return () -> { };
        }
        CommandSession s = session.get();
        s.put(RESIZE_VARIABLE, hook);
        return () -> s.put(RESIZE_VARIABLE, null);
    }
}
