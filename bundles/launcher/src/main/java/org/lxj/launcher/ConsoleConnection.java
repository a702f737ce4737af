package org.lxj.launcher;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A viewer of a container's console or of one of its ttys, connected to the monitor's {@code monitor.sock}
 * (docs/launcher-protocol.md, "Console"). {@link #output()} carries what the container writes to the terminal;
 * {@link #write} and {@link #resize} send keystrokes and the window size. Closing detaches: the container keeps
 * running. When the container's init exits the monitor closes the connection and {@link #output()} ends.
 *
 * <p>Writing and reading may happen on different threads; {@link #close()} from any thread ends a blocked read
 * with end of stream.
 */
public final class ConsoleConnection implements Closeable {
    /** The largest data of one frame the monitor accepts. */
    static final int MAX_FRAME = 4096;
    /** The longest reply line the monitor sends. */
    private static final int MAX_LINE = 256;

    private final Path runDir;
    private final int tty;
    private final SocketChannel channel;
    private final InputStream output;
    private final Object writeLock = new Object();

    private ConsoleConnection(Path runDir, int tty, SocketChannel channel) {
        this.runDir = runDir;
        this.tty = tty;
        this.channel = channel;
        this.output = new Output();
    }

    /**
     * Connects a viewer to a terminal of the container.
     *
     * @param runDir  the container's run directory
     * @param tty     0 for the console, N for {@code /dev/ttyN}, -1 for the first tty without a viewer
     * @param rows    the viewer's rows, 0 to leave the terminal's size
     * @param columns the viewer's columns, 0 to leave the terminal's size
     * @return the connection, on the tty the monitor gave
     * @throws ConsoleException when the container does not run, the tty does not exist, or the monitor denied it
     *                          ({@link ConsoleException#denied()})
     */
    public static ConsoleConnection open(Path runDir, int tty, int rows, int columns) throws ConsoleException {
        return open(runDir, tty, rows, columns, false);
    }

    /**
     * Connects a viewer to a terminal of the container; with {@code replay} (the console only) the output first
     * holds what the console's ring buffer kept, then what follows, with no byte lost or doubled in between
     * ({@code lxc-start -F}: the viewer sees the console from its first byte while the buffer still holds it).
     *
     * @param runDir  the container's run directory
     * @param tty     0 for the console, N for {@code /dev/ttyN}, -1 for the first tty without a viewer
     * @param rows    the viewer's rows, 0 to leave the terminal's size
     * @param columns the viewer's columns, 0 to leave the terminal's size
     * @param replay  whether the console's buffered output comes first
     * @return the connection, on the tty the monitor gave
     * @throws ConsoleException when the container does not run, the tty does not exist, or the monitor denied it
     *                          ({@link ConsoleException#denied()})
     * @since 1.6
     */
    public static ConsoleConnection open(Path runDir, int tty, int rows, int columns, boolean replay)
            throws ConsoleException {
        Objects.requireNonNull(runDir, "runDir");
        if (tty < -1 || rows < 0 || rows > 0xFFFF || columns < 0 || columns > 0xFFFF) {
            throw new IllegalArgumentException("Invalid console request: tty " + tty + ", " + rows + "x" + columns);
        }
        SocketChannel ch = connect(runDir);
        try {
            String reply = request(ch, runDir,
                    "console " + tty + " " + rows + " " + columns + (replay && tty == 0 ? " replay" : ""));
            if (reply.startsWith("OK ")) {
                return new ConsoleConnection(runDir, Integer.parseInt(reply.substring(3).trim()), ch);
            }
            String what = tty == -1 ? "a free tty" : tty == 0 ? "the console" : "tty " + tty;
            if (reply.startsWith("ERR EBUSY ")) {
                throw new ConsoleException("Console of \"" + runDir + "\" refused " + what + ": "
                        + reply.substring("ERR EBUSY ".length()), true);
            }
            throw new ConsoleException("Console of \"" + runDir + "\" refused " + what + ": " + errorText(reply), false);
        } catch (ConsoleException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /**
     * The console's ring buffer ({@code lxc.console.buffer.size}): the last output of the console, oldest first.
     *
     * @param runDir the container's run directory
     * @return the buffer's bytes, empty when the container has no buffer or nothing was written yet
     * @throws ConsoleException when the container does not run or the monitor refused
     */
    public static byte[] buffer(Path runDir) throws ConsoleException {
        Objects.requireNonNull(runDir, "runDir");
        SocketChannel ch = connect(runDir);
        try (ch) {
            String reply = request(ch, runDir, "console-buffer");
            if (!reply.startsWith("OK ")) {
                throw new ConsoleException("Console of \"" + runDir + "\" refused its buffer: " + errorText(reply),
                        false);
            }
            int len = Integer.parseInt(reply.substring(3).trim());
            ByteBuffer b = ByteBuffer.allocate(len);
            while (b.hasRemaining()) {
                if (ch.read(b) < 0) {
                    throw new ConsoleException("Console of \"" + runDir + "\" sent " + b.position() + " of " + len
                            + " buffer bytes", false);
                }
            }
            return b.array();
        } catch (IOException e) {
            if (e instanceof ConsoleException c) {
                throw c;
            }
            throw new ConsoleException("Failed to read the console buffer of \"" + runDir + "\": " + e.getMessage(), e);
        } catch (NumberFormatException e) {
            throw new ConsoleException("Console of \"" + runDir + "\" answered a malformed buffer length", e);
        }
    }

    /** @return the tty this viewer is connected to: 0 the console, N {@code /dev/ttyN} */
    public int tty() {
        return tty;
    }

    /** @return the run directory of the container */
    public Path runDir() {
        return runDir;
    }

    /** @return what the container writes to the terminal; end of stream when the monitor or this viewer closed */
    public InputStream output() {
        return output;
    }

    /**
     * Sends keystrokes to the terminal.
     *
     * @param b   the bytes
     * @param off the first byte
     * @param len how many
     * @throws IOException when the connection is closed
     */
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        synchronized (writeLock) {
            while (len > 0) {
                int n = Math.min(len, MAX_FRAME);
                ByteBuffer f = ByteBuffer.allocate(3 + n);
                f.put((byte) Protocol.CONSOLE_FRAME_INPUT).putShort((short) n).put(b, off, n).flip();
                writeFully(f);
                off += n;
                len -= n;
            }
        }
    }

    /**
     * Sets the terminal's window size (the container's foreground process gets {@code SIGWINCH}).
     *
     * @param rows    rows, 1 to 65535 (0 keeps the current value)
     * @param columns columns, 1 to 65535 (0 keeps the current value)
     * @throws IOException when the connection is closed
     */
    public void resize(int rows, int columns) throws IOException {
        if (rows < 0 || rows > 0xFFFF || columns < 0 || columns > 0xFFFF) {
            throw new IllegalArgumentException("Invalid window size " + rows + "x" + columns);
        }
        ByteBuffer f = ByteBuffer.allocate(7);
        f.put((byte) Protocol.CONSOLE_FRAME_RESIZE).putShort((short) 4).putShort((short) rows)
                .putShort((short) columns).flip();
        synchronized (writeLock) {
            writeFully(f);
        }
    }

    /** Detaches: the container keeps running. */
    @Override
    public void close() {
        closeQuietly(channel);
    }

    private void writeFully(ByteBuffer f) throws IOException {
        while (f.hasRemaining()) {
            channel.write(f);
        }
    }

    private final class Output extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            try {
                return channel.read(ByteBuffer.wrap(b, off, len));
            } catch (ClosedChannelException closed) {
                return -1; // this viewer detached (possibly from another thread)
            }
        }

        @Override
        public void close() {
            ConsoleConnection.this.close();
        }
    }

    private static SocketChannel connect(Path runDir) throws ConsoleException {
        SocketChannel ch = null;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(runDir.resolve(MonitorClient.SOCKET)));
            return ch;
        } catch (IOException e) {
            if (ch != null) {
                closeQuietly(ch);
            }
            throw new ConsoleException("Container of \"" + runDir + "\" is not running: no monitor answers on "
                    + MonitorClient.SOCKET + " (" + e.getMessage() + ")", e);
        }
    }

    /** Sends one request line and reads the reply line, byte by byte so nothing after it is consumed. */
    private static String request(SocketChannel ch, Path runDir, String line) throws ConsoleException {
        try {
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ByteArrayOutputStream reply = new ByteArrayOutputStream();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (reply.size() < MAX_LINE) {
                one.clear();
                if (ch.read(one) < 0) {
                    throw new ConsoleException("Container of \"" + runDir + "\" is not running: its monitor closed the"
                            + " connection", false);
                }
                if (one.get(0) == '\n') {
                    return reply.toString(StandardCharsets.US_ASCII);
                }
                reply.write(one.get(0));
            }
            throw new ConsoleException("Console of \"" + runDir + "\" answered a line longer than " + MAX_LINE
                    + " bytes", false);
        } catch (ConsoleException e) {
            throw e;
        } catch (IOException e) {
            throw new ConsoleException("Failed to talk to the monitor of \"" + runDir + "\": " + e.getMessage(), e);
        }
    }

    /** "ERR ENOENT no such tty" gives "no such tty (ENOENT)". */
    private static String errorText(String reply) {
        String[] parts = reply.split(" ", 3);
        if (parts.length == 3 && parts[0].equals("ERR")) {
            return parts[2] + " (" + parts[1] + ")";
        }
        return "unexpected answer \"" + reply + "\"";
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing a socket we are done with: nothing left to do
        }
    }
}
