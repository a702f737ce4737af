package org.lxj.shell.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.lxj.api.ConsoleSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a {@link ConsoleSession} to a {@link ConsoleViewer}: the container's output to the viewer on a thread of
 * its own, the viewer's keystrokes to the session on the caller's thread, with LXC's escape: the escape byte
 * (Ctrl+a by default) then {@code q} detaches, the escape byte twice sends it once, the escape byte then anything
 * else sends that byte alone. The viewer's terminal is in raw mode for the duration and its window size follows.
 */
final class ConsoleRelay {
    /** Why a relay ended. */
    enum End {
        /** The viewer typed the escape and {@code q}. */
        DETACHED,
        /** The console's output ended: the container stopped. */
        STOPPED,
        /** The viewer's input ended. */
        INPUT_ENDED,
        /** The caller's thread was interrupted (the client hung up, the runtime stops). */
        INTERRUPTED
    }

    /** How long a keystroke read waits before the relay looks at the output, the window size and interrupts. */
    static final int TICK_MILLIS = 200;
    private static final int JOIN_MILLIS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleRelay.class);

    private final ConsoleSession session;
    private final ConsoleViewer viewer;
    private final int escape;
    private final boolean untilStopped;
    private final AtomicBoolean outputEnded = new AtomicBoolean();
    private Optional<ConsoleViewer.Size> lastSize = Optional.empty();
    private boolean sawEscape;

    /**
     * @param escape       the escape byte (1 for Ctrl+a), 0 for none: every keystroke goes to the container
     * @param untilStopped keep relaying output after the viewer's input ended, until the container stops
     *                     ({@code lxc-start -F}); else the end of input ends the relay
     */
    ConsoleRelay(ConsoleSession session, ConsoleViewer viewer, int escape, boolean untilStopped) {
        this.session = session;
        this.viewer = viewer;
        this.escape = escape;
        this.untilStopped = untilStopped;
    }

    /** Relays until the viewer detaches, the container stops or the input ends; then closes the session. */
    End run() throws IOException {
        Thread output = new Thread(this::pumpOutput, "lxj-console-output-" + session.tty());
        output.setDaemon(true);
        lastSize = viewer.size();
        output.start();
        End end;
        try (AutoCloseable raw = viewer.raw(); AutoCloseable resize = viewer.onResize(this::followSize)) {
            end = relayInput();
            if (end == End.INPUT_ENDED && untilStopped) {
                end = awaitStop(output);
            }
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Failed to restore the caller's terminal: " + e.getMessage(), e);
        } finally {
            session.close();
        }
        try {
            // the session's close ends its output; a reader that does not notice is left behind, a daemon
            output.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return end;
    }

    private End relayInput() throws IOException {
        byte[] buf = new byte[1024];
        while (true) {
            if (outputEnded.get()) {
                return End.STOPPED;
            }
            if (Thread.currentThread().isInterrupted()) {
                return End.INTERRUPTED;
            }
            int n = viewer.read(buf, TICK_MILLIS);
            if (n < 0) {
                return End.INPUT_ENDED;
            }
            followSize();
            if (n > 0 && forward(buf, n)) {
                return End.DETACHED;
            }
        }
    }

    /** Sends keystrokes on, minding the escape; true when they asked to detach. */
    boolean forward(byte[] buf, int n) throws IOException {
        ByteArrayOutputStream send = new ByteArrayOutputStream(n);
        boolean detach = false;
        for (int i = 0; i < n && !detach; i++) {
            int c = buf[i] & 0xff;
            if (escape > 0 && c == escape && !sawEscape) {
                sawEscape = true;
                continue;
            }
            if (escape > 0 && sawEscape && c == 'q') {
                detach = true;
                continue;
            }
            sawEscape = false;
            send.write(c);
        }
        if (send.size() > 0 && !outputEnded.get()) {
            session.write(send.toByteArray(), 0, send.size());
        }
        return detach;
    }

    private End awaitStop(Thread output) {
        while (output.isAlive()) {
            if (Thread.currentThread().isInterrupted()) {
                return End.INTERRUPTED;
            }
            followSize();
            try {
                output.join(TICK_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return End.INTERRUPTED;
            }
        }
        return End.STOPPED;
    }

    /** Passes a changed window size on to the container's tty. */
    synchronized void followSize() {
        Optional<ConsoleViewer.Size> now = viewer.size();
        if (now.isEmpty() || now.equals(lastSize)) {
            return;
        }
        lastSize = now;
        try {
            session.resize(now.get().rows(), now.get().columns());
        } catch (IOException e) {
            LOG.debug("Failed to resize tty {}: {}", session.tty(), e.getMessage());
        }
    }

    private void pumpOutput() {
        byte[] buf = new byte[8192];
        try {
            InputStream in = session.output();
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    viewer.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            LOG.debug("Console output of tty {} ended: {}", session.tty(), e.getMessage());
        } finally {
            outputEnded.set(true);
        }
    }
}
