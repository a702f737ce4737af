package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.Stdio;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.Syscalls;
import org.lxj.linux.Terminals;
import org.lxj.linux.internal.JnaSyscalls;

/** The fd viewer on a real pty pair from /dev/ptmx, as the daemon gets a client's terminal; no root needed. */
class FdConsoleViewerTest {
    private static final long TIOCSPTLCK = 0x40045431L;
    private static final long TIOCGPTPEER = 0x5441;
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final int O_CLOEXEC = 02000000;

    private final Syscalls sys = new JnaSyscalls();
    private int master = -1;
    private int slave = -1;

    @BeforeEach
    void openPty() {
        master = sys.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
        sys.ioctlBuffer(master, TIOCSPTLCK, new byte[4]);
        slave = sys.ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    }

    @AfterEach
    void closePty() {
        if (slave >= 0) {
            sys.close(slave);
        }
        if (master >= 0) {
            sys.close(master);
        }
    }

    @Test
    void rawModeLastsUntilClosedAndKeysAreRead() throws Exception {
        FdConsoleViewer v = new FdConsoleViewer(sys, new Stdio.Fds(slave, slave, slave), Optional.empty());
        assertTrue(v.terminal());
        try (AutoCloseable raw = v.raw()) {
            assertTrue(Terminals.get(sys, slave).isRaw());
            byte[] buf = new byte[64];
            assertEquals(0, v.read(buf, 10), "nothing typed yet");
            byte[] keys = "l\u0001q".getBytes(StandardCharsets.UTF_8);
            sys.write(master, keys, 0, keys.length);
            int n = v.read(buf, 5000);
            assertEquals("l\u0001q", new String(buf, 0, n, StandardCharsets.UTF_8), "raw: no line buffering");
            v.write("out".getBytes(StandardCharsets.UTF_8), 0, 3);
            byte[] shown = new byte[16];
            assertEquals("out", new String(shown, 0, sys.read(master, shown, 0, shown.length), StandardCharsets.UTF_8));
        }
        assertFalse(Terminals.get(sys, slave).isRaw(), "the mode is restored");
    }

    @Test
    void theSizeIsTheTerminals() {
        FdConsoleViewer v = new FdConsoleViewer(sys, new Stdio.Fds(slave, slave, slave), Optional.empty());
        Terminals.resize(sys, master, new Terminals.WindowSize(40, 120));
        assertEquals(Optional.of(new ConsoleViewer.Size(40, 120)), v.size());
    }

    @Test
    void aSocketIsNoTerminal() throws Exception {
        int[] pipe = sys.socketpair(SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC);
        try {
            FdConsoleViewer v = new FdConsoleViewer(sys, new Stdio.Fds(pipe[0], pipe[1], pipe[1]), Optional.empty());
            assertFalse(v.terminal());
            assertEquals(Optional.empty(), v.size());
            try (AutoCloseable raw = v.raw()) {
                sys.close(pipe[1]);
                pipe[1] = -1;
                assertEquals(-1, v.read(new byte[8], 5000), "the end of input");
            }
        } finally {
            sys.close(pipe[0]);
            if (pipe[1] >= 0) {
                sys.close(pipe[1]);
            }
        }
    }
}
