package org.lxj.shell.internal;

import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Job;
import org.lxj.linux.Syscalls;

/**
 * Picks the viewer for the command running now: the fds the daemon or the one-command mode named, else the
 * interactive shell's JLine terminal, else the command's own streams.
 */
class ConsoleViewers {
    private final Optional<Syscalls> sys;

    /** @param sys the syscalls for fd viewers; empty in tests, which then always get stream viewers */
    ConsoleViewers(Optional<Syscalls> sys) {
        this.sys = sys;
    }

    ConsoleViewer of(CommandIo io) {
        Optional<CommandSession> session = currentSession();
        if (io.fds().isPresent() && sys.isPresent()) {
            return new FdConsoleViewer(sys.get(), io.fds().get(), session);
        }
        Optional<ConsoleViewer> jline = session.flatMap(ConsoleViewers::jline);
        return jline.orElseGet(() -> new StreamConsoleViewer(io.in(), io.out()));
    }

    private static Optional<CommandSession> currentSession() {
        Job job = Job.Utils.current();
        return job == null ? Optional.empty() : Optional.ofNullable(job.session());
    }

    private static Optional<ConsoleViewer> jline(CommandSession session) {
        Object terminal = session.get(TerminalWidth.TERMINAL_VARIABLE);
        if (terminal == null || TerminalWidth.of(session) == 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(JLineViewers.of(terminal));
        } catch (NoClassDefFoundError jlineMissing) {
            return Optional.empty();
        }
    }

    /** Kept apart so that JLine's classes load only when a JLine terminal is there. */
    private static final class JLineViewers {
        static ConsoleViewer of(Object terminal) {
            return new JLineConsoleViewer((org.jline.terminal.Terminal) terminal);
        }
    }
}
