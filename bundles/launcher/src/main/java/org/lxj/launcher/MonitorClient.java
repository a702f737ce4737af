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
     * Waits until init has exited and the monitor has recorded it.
     *
     * @param timeout the longest wait for the exit
     * @return the exit status
     * @throws IOException on timeout, or when the monitor died without an exit record
     */
    public ExitStatus awaitExit(Duration timeout) throws IOException {
        try (Told told = awaitExitTold(timeout)) {
            told.awaitRecorded(RECORD_WAIT);
            return told.status();
        }
    }

    /**
     * Waits until init has exited, and returns as soon as the monitor tells it: before the monitor has written the
     * exit record and let go of init's namespaces, which {@link Told#awaitRecorded} waits for (about half a
     * millisecond that a caller who only needs the status can spend answering its own caller first).
     *
     * @param timeout the longest wait for the exit
     * @return the exit, to be closed
     * @throws IOException on timeout, or when the monitor died without an exit record
     */
    public Told awaitExitTold(Duration timeout) throws IOException {
        try (ExitRequest r = requestExit()) {
            return r.told(timeout);
        }
    }

    /**
     * Asks the monitor now to tell init's exit when it comes, and returns at once: a caller with more to do before
     * it waits is told of an exit during that work as soon as the monitor reaps init, instead of after the monitor
     * has recorded it (as a connection made after the exit would be).
     *
     * @return the request, to be closed
     * @throws IOException when no socket can be made
     */
    public ExitRequest requestExit() throws IOException {
        Exchange x = Exchange.open(this);
        if (x == null) {
            return new ExitRequest(this, null);
        }
        try {
            if (x.send("wait")) {
                ExitRequest r = new ExitRequest(this, x);
                x = null;
                return r;
            }
            return new ExitRequest(this, null);
        } finally {
            Exchange.close(x);
        }
    }

    /** A {@code wait} sent to the monitor ({@link #requestExit}), its answer not yet read. */
    public static final class ExitRequest implements AutoCloseable {
        private final MonitorClient client;
        private Exchange exchange;

        private ExitRequest(MonitorClient client, Exchange exchange) {
            this.client = client;
            this.exchange = exchange;
        }

        /**
         * Waits for the answer: the exit as the monitor tells it, or, when the monitor was gone or closed the
         * connection, as its record has it. The exchange passes to the returned exit.
         *
         * @param timeout the longest wait for the exit
         * @return the exit, to be closed
         * @throws IOException on timeout, or when the monitor died without an exit record
         */
        public Told told(Duration timeout) throws IOException {
            Exchange x = exchange;
            exchange = null;
            if (x == null) {
                return new Told(client.requireExit(), null);
            }
            try {
                Optional<String> reply = x.reply("wait", timeout);
                if (reply.isPresent() && reply.get().startsWith("EXITED ")) {
                    Told told = new Told(ExitStatus.parse(reply.get().substring("EXITED ".length())), x);
                    x = null;
                    return told;
                }
                // the connection ended without the line: the monitor wrote the record before it closed
                return new Told(client.requireExit(), null);
            } finally {
                if (x != null) {
                    x.close();
                }
            }
        }

        @Override
        public void close() {
            exchange = Exchange.close(exchange);
        }
    }

    /** How long {@link #awaitExit} waits for the record once the exit is told; the monitor writes it at once. */
    private static final Duration RECORD_WAIT = Duration.ofSeconds(10);

    /**
     * An exit the monitor told: its status, and the end of the monitor's work on it, which the end of its connection
     * marks (docs/launcher-protocol.md, {@code wait}).
     */
    public static final class Told implements AutoCloseable {
        private final ExitStatus status;
        private Exchange exchange;

        private Told(ExitStatus status, Exchange exchange) {
            this.status = status;
            this.exchange = exchange;
        }

        /** @return init's exit status */
        public ExitStatus status() {
            return status;
        }

        /**
         * Waits until the monitor has written the exit record and let go of init's namespaces (so a cleanup after it
         * finds the container's mounts gone); at once when the exit was read from the record.
         *
         * @param timeout the longest wait
         * @return false when the monitor did not finish within {@code timeout}
         * @throws java.io.InterruptedIOException when the thread is interrupted while it waits
         */
        public boolean awaitRecorded(Duration timeout) throws java.io.InterruptedIOException {
            if (exchange == null) {
                return true;
            }
            try {
                return exchange.awaitEnd(timeout);
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            exchange = Exchange.close(exchange);
        }
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
        Exchange x = Exchange.open(this);
        if (x == null) {
            return Optional.empty();
        }
        try (x) {
            return x.ask(line, timeout);
        }
    }

    /** A connection to the monitor: a request line, its reply line, and the end of the connection. */
    private static final class Exchange implements AutoCloseable {
        private final MonitorClient client;
        private final SocketChannel ch;
        private final Selector selector;
        private final ByteBuffer in = ByteBuffer.allocate(256);

        private Exchange(MonitorClient client, SocketChannel ch, Selector selector) {
            this.client = client;
            this.ch = ch;
            this.selector = selector;
        }

        /** Connected, or null when the monitor is gone. */
        static Exchange open(MonitorClient client) throws IOException {
            SocketChannel ch;
            try {
                ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            } catch (IOException e) {
                throw new IOException("Failed to open a socket for the monitor of \"" + client.runDir + "\"", e);
            }
            Selector selector = null;
            try {
                try {
                    ch.connect(UnixDomainSocketAddress.of(client.runDir.resolve(SOCKET)));
                } catch (IOException gone) {
                    ch.close();
                    return null;
                }
                selector = Selector.open();
                return new Exchange(client, ch, selector);
            } catch (IOException | RuntimeException e) {
                ch.close();
                if (selector != null) {
                    selector.close();
                }
                throw e;
            }
        }

        /** Sends {@code line}; its reply, or empty when the connection ended first. */
        Optional<String> ask(String line, Duration timeout) throws IOException {
            return send(line) ? reply(line, timeout) : Optional.empty();
        }

        /** Sends {@code line}; false when the connection ended. */
        boolean send(String line) throws IOException {
            ByteBuffer out = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
            try {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            } catch (IOException gone) {
                return false;
            }
            ch.configureBlocking(false);
            ch.register(selector, SelectionKey.OP_READ);
            return true;
        }

        /** The reply to {@code line}, sent before; empty when the connection ended first. */
        Optional<String> reply(String line, Duration timeout) throws IOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IOException("Timed out after " + timeout.toMillis() + " ms waiting for the monitor of \""
                            + client.runDir + "\" to answer \"" + line + "\"");
                }
                if (!await(left, line)) {
                    continue;
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
                    throw new IOException("Monitor of \"" + client.runDir + "\" sent an over-long reply");
                }
            }
        }

        /** Waits for the end of the connection (what comes before it is dropped); false on timeout. */
        boolean awaitEnd(Duration timeout) throws java.io.InterruptedIOException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                try {
                    if (!await(left, "wait")) {
                        continue;
                    }
                    in.clear();
                    if (ch.read(in) < 0) {
                        return true;
                    }
                } catch (java.io.InterruptedIOException e) {
                    throw e;
                } catch (IOException gone) {
                    return true;
                }
            }
        }

        /** Selects for up to {@code millis}; whether the channel may be read. */
        private boolean await(long millis, String line) throws IOException {
            int ready = selector.select(millis);
            selector.selectedKeys().clear();
            if (Thread.currentThread().isInterrupted()) {
                // select returns at once for an interrupted thread and a non-blocking read is not
                // interruptible: without this the loop would spin until the deadline
                throw new java.io.InterruptedIOException("Interrupted while waiting for the monitor of \""
                        + client.runDir + "\" to answer \"" + line + "\"");
            }
            return ready > 0;
        }

        /** Closes {@code x} unless null; returns null, for the holder's field. */
        static Exchange close(Exchange x) {
            if (x != null) {
                x.close();
            }
            return null;
        }

        @Override
        public void close() {
            try {
                selector.close();
            } catch (IOException e) {
                // nothing registered outlives it
            }
            try {
                ch.close();
            } catch (IOException e) {
                // the connection is gone either way
            }
        }
    }
}
