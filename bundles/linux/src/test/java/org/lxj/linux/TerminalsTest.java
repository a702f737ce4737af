package org.lxj.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.lxj.linux.internal.JnaSyscalls;

/** Terminal modes and sizes on a real pty pair from /dev/ptmx; no root needed. */
class TerminalsTest {
    private static final long TIOCSPTLCK = 0x40045431L;
    private static final long TIOCGPTPEER = 0x5441;
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final int O_CLOEXEC = 02000000;

    private final Syscalls sys = new JnaSyscalls();

    @Test
    void rawModeIsSetAndRestoredOnAPtySlave() {
        int master = sys.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
        try {
            sys.ioctlBuffer(master, TIOCSPTLCK, new byte[4]);
            int slave = sys.ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
            try {
                assertTrue(Terminals.isTerminal(sys, slave));
                Terminals.Mode saved = Terminals.get(sys, slave);
                assertFalse(saved.isRaw(), "a new pty starts in canonical mode with echo");
                Terminals.set(sys, slave, saved.raw());
                assertTrue(Terminals.get(sys, slave).isRaw());
                Terminals.set(sys, slave, saved);
                assertFalse(Terminals.get(sys, slave).isRaw());
                Terminals.resize(sys, master, new Terminals.WindowSize(33, 101));
                assertEquals(new Terminals.WindowSize(33, 101), Terminals.size(sys, slave));
            } finally {
                sys.close(slave);
            }
        } finally {
            sys.close(master);
        }
    }

    @Test
    void aFileIsNoTerminal() {
        int fd = sys.open("/proc/self/status", 0, 0);
        try {
            assertFalse(Terminals.isTerminal(sys, fd));
        } finally {
            sys.close(fd);
        }
    }

    @Test
    void rawClearsWhatCfmakerawClears() {
        ByteBuffer b = ByteBuffer.allocate(Terminals.TERMIOS_SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0, 0xFFFFFFFF).putInt(4, 0xFFFFFFFF).putInt(8, 0).putInt(12, 0xFFFFFFFF);
        Terminals.Mode raw = new Terminals.Mode(b.array()).raw();
        ByteBuffer r = ByteBuffer.wrap(raw.bytes()).order(ByteOrder.nativeOrder());
        assertEquals(0, r.getInt(0) & (01 | 02 | 010 | 040 | 0100 | 0200 | 0400 | 02000));
        assertEquals(0, r.getInt(4) & 01);
        assertEquals(060, r.getInt(8));
        assertEquals(0, r.getInt(12) & (010 | 0100 | 02 | 01 | 0100000));
        assertEquals(1, raw.bytes()[17 + 6]);
        assertEquals(0, raw.bytes()[17 + 5]);
    }
}
