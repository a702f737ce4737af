package org.lxj.launcher;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Talks to a container's monitor through {@code <run>/monitor.sock} (one line per request and reply).
 * Once init has exited the monitor removes the socket after writing {@code <run>/exit}, so every
 * method falls back to the exit file when the socket is already gone.
 */
public final class MonitorClient {
    /** The monitor's socket inside the run directory. */
    public static final String SOCKET = "monitor.sock";
    /** The exit record inside the run directory. */
    public static final String EXIT_FILE = "exit";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final Path runDir;

    /** @param runDir the container's run directory */
    public MonitorClient(Path runDir) {
        this.runDir = runDir;
    }

    /**
     * Reconnects to the monitor of a container started earlier, e.g. by a runtime that was restarted since:
     * the monitor answers on its socket, or, once init has exited, its exit record is read.
     *
     * @param runDir the container's run directory
     * @return a client; its calls fall back to the exit record when the socket is gone
     * @throws IOException when neither a monitor answers nor an exit record exists
     */
    public static MonitorClient connect(Path runDir) throws IOException {
        MonitorClient c = new MonitorClient(runDir);
        c.state(CONNECT_TIMEOUT);
        return c;
    }

    /** @return the run directory */
    public Path runDir() {
        return runDir;
    }

    /**
     * The init pid while the container runs.
     *
     * @param timeout how long to wait for the reply
     * @return the init pid, or empty when init has exited
     * @throws IOException when the monitor cannot be asked and left no exit record
     */
    public Optional<Integer> state(Duration timeout) throws IOException {
        Optional<String> reply = request("state", timeout);
        if (reply.isEmpty() || !reply.get().startsWith("RUNNING ")) {
            requireExit();
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(reply.get().substring("RUNNING ".length()).trim()));
    }

    /**
     * Sends a signal to init through its pidfd.
     *
     * @param signal  the signal number
     * @param timeout how long to wait for the reply
     * @return true if sent, false when init had already exited
     * @throws IOException when the monitor refused (its {@code ERR} line is the message)
     */
    public boolean kill(int signal, Duration timeout) throws IOException {
        Optional<String> reply = request("kill " + signal, timeout);
        if (reply.isEmpty()) {
            requireExit();
            return false;
        }
        if (reply.get().equals("OK")) {
            return true;
        }
        throw new IOException("Monitor of \"" + runDir + "\" refused kill " + signal + ": " + reply.get());
    }

    /**
     * Waits until init has exited.
     *
     * @param timeout the longest wait
     * @return the exit status
     * @throws IOException on timeout, or when the monitor died without an exit record
     */
    public ExitStatus awaitExit(Duration timeout) throws IOException {
        Optional<String> reply = request("wait", timeout);
        if (reply.isPresent() && reply.get().startsWith("EXITED ")) {
            return ExitStatus.parse(reply.get().substring("EXITED ".length()));
        }
        return requireExit();
    }

    /**
     * The exit record, if init has exited.
     *
     * @return the status, or empty while the container runs
     * @throws IOException when the record cannot be read
     */
    public Optional<ExitStatus> exitStatus() throws IOException {
        try {
            return Optional.of(ExitStatus.parse(Files.readString(runDir.resolve(EXIT_FILE), StandardCharsets.US_ASCII)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private ExitStatus requireExit() throws IOException {
        return exitStatus().orElseThrow(() -> new IOException(
                "Monitor of \"" + runDir + "\" is gone and left no exit record"));
    }

    /** One request; empty when the monitor is gone or closed the connection (init exited). */
    private Optional<String> request(String line, Duration timeout) throws IOException {
        SocketChannel ch;
        try {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } catch (IOException e) {
            throw new IOException("Failed to open a socket for the monitor of \"" + runDir + "\"", e);
        }
        try (ch; Selector selector = Selector.open()) {
            try {
                ch.connect(UnixDomainSocketAddress.of(runDir.resolve(SOCKET)));
            } catch (IOException gone) {
                return Optional.empty();
            }
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            } catch (IOException gone) {
                return Optional.empty();
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(256);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("Timed out after " + timeout.toMillis() + " ms waiting for the monitor of \""
                            + runDir + "\" to answer \"" + line + "\"");
                }
                selector.select(left);
                selector.selectedKeys().clear();
                if (Thread.currentThread().isInterrupted()) {
                    // select returns at once for an interrupted thread and a non-blocking read is not
                    // interruptible: without this the loop would spin until the deadline
                    throw new java.io.InterruptedIOException("Interrupted while waiting for the monitor of \""
                            + runDir + "\" to answer \"" + line + "\"");
                }
                int n;
                try {
                    n = ch.read(in);
                } catch (IOException gone) {
                    return Optional.empty();
                }
                if (n < 0) {
                    return Optional.empty();
                }
                String text = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
                int nl = text.indexOf('\n');
                if (nl >= 0) {
                    return Optional.of(text.substring(0, nl));
                }
                if (!in.hasRemaining()) {
                    throw new IOException("Monitor of \"" + runDir + "\" sent an over-long reply");
                }
            }
        }
    }
}
