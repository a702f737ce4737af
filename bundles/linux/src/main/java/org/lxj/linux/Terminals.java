package org.lxj.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Terminal modes and window sizes of an fd through {@link Syscalls#ioctlBuffer}: {@code TCGETS}/{@code TCSETS} on
 * the kernel's {@code struct termios} and {@code TIOCGWINSZ}/{@code TIOCSWINSZ} on {@code struct winsize}.
 *
 * @since 1.6
 */
public final class Terminals {
    static final long TCGETS = 0x5401;
    static final long TCSETS = 0x5402;
    static final long TIOCGWINSZ = 0x5413;
    static final long TIOCSWINSZ = 0x5414;
    /** The kernel's {@code struct termios}: four u32 flag words, the line discipline, 19 control chars. */
    static final int TERMIOS_SIZE = 36;
    private static final int IFLAG = 0;
    private static final int OFLAG = 4;
    private static final int CFLAG = 8;
    private static final int LFLAG = 12;
    private static final int CC = 17;
    private static final int VTIME = 5;
    private static final int VMIN = 6;
    private static final int RAW_IFLAG_OFF = 01 | 02 | 010 | 040 | 0100 | 0200 | 0400 | 02000;
    private static final int OPOST = 01;
    private static final int RAW_LFLAG_OFF = 010 | 0100 | 02 | 01 | 0100000;
    private static final int CSIZE = 060;
    private static final int PARENB = 0400;
    private static final int CS8 = 060;

    private Terminals() {
    }

    /** A window size in character cells. */
    public record WindowSize(int rows, int columns) {
    }

    /**
     * A terminal's saved mode, from {@link #get}, for {@link #set} to restore.
     *
     * @param bytes the kernel's {@code struct termios} as read
     */
    public record Mode(byte[] bytes) {
        public Mode {
            bytes = bytes.clone();
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** This mode as {@code cfmakeraw(3)} makes it: no echo, no line editing, no signals, 8-bit, no output processing. */
        public Mode raw() {
            ByteBuffer b = ByteBuffer.wrap(bytes.clone()).order(ByteOrder.nativeOrder());
            b.putInt(IFLAG, b.getInt(IFLAG) & ~RAW_IFLAG_OFF);
            b.putInt(OFLAG, b.getInt(OFLAG) & ~OPOST);
            b.putInt(LFLAG, b.getInt(LFLAG) & ~RAW_LFLAG_OFF);
            b.putInt(CFLAG, (b.getInt(CFLAG) & ~(CSIZE | PARENB)) | CS8);
            b.put(CC + VMIN, (byte) 1);
            b.put(CC + VTIME, (byte) 0);
            return new Mode(b.array());
        }

        /** Whether canonical line editing and echo are off, as in {@link #raw()}. */
        public boolean isRaw() {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
            return (b.getInt(LFLAG) & RAW_LFLAG_OFF) == 0 && (b.getInt(OFLAG) & OPOST) == 0;
        }
    }

    /** Whether {@code fd} is a terminal ({@code isatty(3)}: {@code TCGETS} succeeds). */
    public static boolean isTerminal(Syscalls sys, int fd) {
        try {
            get(sys, fd);
            return true;
        } catch (SyscallException e) {
            return false;
        }
    }

    /** The terminal mode of {@code fd} ({@code tcgetattr(3)}). */
    public static Mode get(Syscalls sys, int fd) {
        byte[] buf = new byte[TERMIOS_SIZE];
        sys.ioctlBuffer(fd, TCGETS, buf);
        return new Mode(buf);
    }

    /** Sets the terminal mode of {@code fd} now ({@code tcsetattr(3)} with {@code TCSANOW}). */
    public static void set(Syscalls sys, int fd, Mode mode) {
        sys.ioctlBuffer(fd, TCSETS, mode.bytes());
    }

    /** The window size of the terminal {@code fd} ({@code TIOCGWINSZ}). */
    public static WindowSize size(Syscalls sys, int fd) {
        byte[] buf = new byte[8];
        sys.ioctlBuffer(fd, TIOCGWINSZ, buf);
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        return new WindowSize(Short.toUnsignedInt(b.getShort(0)), Short.toUnsignedInt(b.getShort(2)));
    }

    /** Sets the window size of the terminal {@code fd} ({@code TIOCSWINSZ}). */
    public static void resize(Syscalls sys, int fd, WindowSize size) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) size.rows()).putShort(2, (short) size.columns());
        sys.ioctlBuffer(fd, TIOCSWINSZ, b.array());
    }
}
