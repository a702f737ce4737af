package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.api.AttachTerminal;
import org.lxj.api.Stdio;
import org.lxj.linux.Errno;
import org.lxj.linux.Syscall;
import org.lxj.linux.fake.RecordingSyscalls;

/**
 * lxc-attach decides on a pty as LXC does: when any of the caller's fds 0–2 is a terminal ({@code TCGETS}
 * succeeds), and only those get the pty's slave; {@code -L} names the log, resolved against the session's cwd.
 */
class AttachTerminalDecisionTest {
    private static final Path CWD = Path.of("/home/u");
    private static final long TCGETS = 0x5401;
    private static final String P = RunGoldenTest.P.toString();

    /** Fds in {@code ttys} answer TCGETS, every other fd fails it with ENOTTY. */
    private static RecordingSyscalls terminals(Set<Integer> ttys) {
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.on(Syscall.IOCTL, c -> !ttys.contains(((Number) c.args().get(0)).intValue()), c -> {
            throw new org.lxj.linux.SyscallException(c.syscall(), Errno.ENOTTY, c.args().toArray());
        });
        return sys;
    }

    private static int attach(FakeRuntime r, RecordingSyscalls sys, Stdio.Fds fds, String... args) {
        CommandIo io = new CommandIo(new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()), false, 0, CWD, InputStream.nullInputStream(),
                Optional.of(fds));
        return new AttachCommand(r, "0.1.0", Optional.of(sys)).run(io, List.of(args));
    }

    @Test
    void onlyTheFdsThatAreTerminalsGetThePty() {
        FakeRuntime r = RunGoldenTest.runtime(true);
        RecordingSyscalls sys = terminals(Set.of(7));
        assertEquals(0, attach(r, sys, new Stdio.Fds(7, 8, 7), "-P", P, "-n", "b1", "-L", "logs/pty.log", "--", "/bin/true"));
        assertEquals(1, r.terminals.size());
        AttachTerminal t = r.terminals.get(0);
        assertTrue(t.stdin());
        assertFalse(t.stdout());
        assertTrue(t.stderr());
        assertEquals(Optional.of(Path.of("/home/u/logs/pty.log")), t.log());
        assertEquals(0, t.rows(), "the size is copied from the caller's terminal");
        assertTrue(sys.calls().stream().anyMatch(c -> c.syscall() == Syscall.IOCTL
                && ((Number) c.args().get(1)).longValue() == TCGETS));
        assertEquals(List.of("/bin/true"), r.attached.get(0).command());
    }

    @Test
    void withoutAnyTerminalThereIsNoPtyAndTheLogIsIgnoredAsInLxc() {
        FakeRuntime r = RunGoldenTest.runtime(true);
        assertEquals(0, attach(r, terminals(Set.of()), new Stdio.Fds(-1, 8, 9), "-P", P, "-n", "b1", "-L", "/tmp/x.log",
                "--", "/bin/true"));
        assertEquals(0, r.terminals.size());
        assertEquals(1, r.attached.size());
    }

    @Test
    void anFdOfStdinAloneBeingATerminalIsEnough() {
        FakeRuntime r = RunGoldenTest.runtime(true);
        assertEquals(0, attach(r, terminals(Set.of(0)), new Stdio.Fds(0, 1, 2), "-P", P, "-n", "b1", "--", "/bin/true"));
        AttachTerminal t = r.terminals.get(0);
        assertTrue(t.stdin() && !t.stdout() && !t.stderr());
    }
}
