package org.lxj.control.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.launcher.Protocol;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.internal.JnaSyscalls;

/**
 * A connection on a real socket pair, running commands in a real Gogo processor: a command reading the client's
 * stdin (a socket nobody writes to, as a terminal nobody types into) never holds a daemon thread once the client
 * hung up or the request is over. No root needed.
 */
class ConnectionTest {
    /** A bound for joins that only detects a hang; the assertions never depend on timing. */
    private static final long HANG_SECONDS = 30;

    private final JnaSyscalls sys = new JnaSyscalls();
    private final List<Integer> fds = new ArrayList<>();
    private CommandProcessorImpl processor;
    private SessionRunner runner;
    private final Readers readers = new Readers();
    /** Where the connections run their watchers, as ControlServer's pool. */
    private final ThreadPoolExecutor watchers = (ThreadPoolExecutor) Executors.newCachedThreadPool();

    /** Commands that read their standard input. */
    public static final class Readers {
        final CountDownLatch reading = new CountDownLatch(1);
        final CompletableFuture<Integer> readResult = new CompletableFuture<>();
        volatile Thread leftBehind;

        /** Reads stdin in the command's own thread until the end of file. */
        public int readin(CommandSession session) throws IOException {
            InputStream in = session.getKeyboard();
            reading.countDown();
            int n = in.read();
            readResult.complete(n);
            return n;
        }

        final CountDownLatch following = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final java.util.concurrent.Semaphore hookRan = new java.util.concurrent.Semaphore(0);
        final CountDownLatch hookEntered = new CountDownLatch(1);
        final CountDownLatch hookRelease = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger resizes = new java.util.concurrent.atomic.AtomicInteger();
        final CompletableFuture<Boolean> interruptedWhileFollowing = new CompletableFuture<>();

        /** Follows the window size (a hook that counts) until released; returns how often it resized. */
        public int follow(CommandSession session) throws InterruptedException {
            return followWith(session, () -> {
                resizes.incrementAndGet();
                hookRan.release();
            });
        }

        /** Follows the window size with a hook that blocks until released, and throws the second time. */
        public int followstuck(CommandSession session) throws InterruptedException {
            return followWith(session, () -> {
                if (resizes.incrementAndGet() > 1) {
                    throw new IllegalStateException("The pty is gone");
                }
                hookEntered.countDown();
                try {
                    hookRelease.await(HANG_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }

        private int followWith(CommandSession session, Runnable hook) throws InterruptedException {
            session.put(SessionRunner.RESIZE_VARIABLE, hook);
            try {
                following.countDown();
                boolean released = release.await(HANG_SECONDS, TimeUnit.SECONDS);
                interruptedWhileFollowing.complete(false);
                return released ? resizes.get() : -1;
            } catch (InterruptedException e) {
                interruptedWhileFollowing.complete(true);
                throw e;
            } finally {
                session.put(SessionRunner.RESIZE_VARIABLE, null);
            }
        }

        final CountDownLatch cleanupRelease = new CountDownLatch(1);
        final CompletableFuture<Boolean> interruptedInCleanup = new CompletableFuture<>();

        /**
         * As lxc-execute through the daemon: answers status 7 through the session's exited hook, then goes on (its
         * cleanup) until released; returns 9, which the client must never see.
         */
        public int exitearly(CommandSession session) {
            ((java.util.function.IntConsumer) session.get(SessionRunner.EXITED_VARIABLE)).accept(7);
            try {
                boolean released = cleanupRelease.await(HANG_SECONDS, TimeUnit.SECONDS);
                interruptedInCleanup.complete(false);
                session.put(SessionRunner.EXIT_VARIABLE, released ? 9 : -1);
            } catch (InterruptedException e) {
                interruptedInCleanup.complete(true);
            }
            return 9;
        }

        /** Starts a reader of stdin and returns at once, as a relay pump left running after its command exited. */
        public String spawnreader(CommandSession session) {
            InputStream in = session.getKeyboard();
            Thread t = new Thread(() -> {
                try {
                    readResult.complete(in.read());
                } catch (IOException e) {
                    readResult.completeExceptionally(e);
                }
            }, "left-behind-reader");
            leftBehind = t;
            t.start();
            return null;
        }
    }

    @BeforeEach
    void setUp() {
        processor = new CommandProcessorImpl(SharedThreadIo.get());
        processor.addCommand("t", readers, "readin");
        processor.addCommand("t", readers, "spawnreader");
        processor.addCommand("t", readers, "follow");
        processor.addCommand("t", readers, "followstuck");
        processor.addCommand("t", readers, "exitearly");
        runner = new SessionRunner(null, processor, null);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        watchers.shutdownNow();
        assertTrue(watchers.awaitTermination(HANG_SECONDS, TimeUnit.SECONDS), "a watcher outlived its test");
        runner.close();
        processor.stop();
        for (int fd : fds) {
            try {
                sys.close(fd);
            } catch (RuntimeException e) {
                // closed by the connection already
            }
        }
    }

    /** The watchers running a task once there are {@code n} of them, or when the hang bound is up. */
    private int awaitActiveWatchers(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HANG_SECONDS);
        while (watchers.getActiveCount() != n && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return watchers.getActiveCount();
    }

    private int[] pair(int type) {
        int[] p = sys.socketpair(type | SocketFlags.SOCK_CLOEXEC);
        fds.add(p[0]);
        fds.add(p[1]);
        return p;
    }

    private static byte[] request(String... args) {
        List<byte[]> attrs = new ArrayList<>();
        attrs.add(Frames.attribute(Protocol.REQ_VERSION,
                ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(Protocol.PROTOCOL_VERSION).array()));
        for (String a : args) {
            byte[] t = a.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[t.length + 1];
            System.arraycopy(t, 0, z, 0, t.length);
            attrs.add(Frames.attribute(Protocol.REQ_ARG, z));
        }
        return Frames.frame(Protocol.MSG_REQUEST, attrs.toArray(new byte[0][]));
    }

    /** Starts a connection thread for a request whose stdin is a socket nobody writes to. */
    private Thread connect(int[] control, String... args) {
        int[] stdin = pair(SocketFlags.SOCK_STREAM);      // stdin[1] stays open and silent: no end of file
        int[] out = pair(SocketFlags.SOCK_STREAM);
        fds.remove(Integer.valueOf(control[0]));          // the connection closes its end
        Connection c = new Connection(sys, control[0], runner, () -> { }, watchers);
        Thread t = new Thread(c, "connection");
        t.start();
        byte[] req = request(args);
        sys.sendmsg(control[1], req, req.length, new int[] {stdin[0], out[0], out[0]}, SocketFlags.MSG_NOSIGNAL);
        return t;
    }

    @Test
    void aClientThatHangsUpEndsACommandReadingItsStdin() throws Exception {
        int[] control = pair(SocketFlags.SOCK_SEQPACKET);
        Thread t = connect(control, "readin");
        assertTrue(readers.reading.await(HANG_SECONDS, TimeUnit.SECONDS), "the command reads its stdin");
        sys.close(control[1]);                            // the client is gone (Ctrl-C)
        fds.remove(Integer.valueOf(control[1]));
        t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        assertFalse(t.isAlive(), "the connection thread ended");
        assertEquals(-1, readers.readResult.get(HANG_SECONDS, TimeUnit.SECONDS), "the read ended with end of file");
    }

    private void sendWinch(int client) {
        byte[] winch = Frames.frame(Protocol.MSG_WINCH);
        sys.sendmsg(client, winch, winch.length, new int[0], SocketFlags.MSG_NOSIGNAL);
    }

    private Frames.Frame reply(int client) throws Exception {
        byte[] buf = new byte[Protocol.MAX_MESSAGE];
        ReceivedMessage reply = sys.recvmsg(client, buf, 0, 0);
        return Frames.frame(buf, reply.length());
    }

    @Test
    void aWindowChangeRunsTheCommandsResizeHook() throws Exception {
        int[] control = pair(SocketFlags.SOCK_SEQPACKET);
        Thread t = connect(control, "follow");
        assertTrue(readers.following.await(HANG_SECONDS, TimeUnit.SECONDS), "the command follows the window");
        for (int i = 0; i < 2; i++) {                     // one after another: changes queued together merge
            sendWinch(control[1]);
            assertTrue(readers.hookRan.tryAcquire(HANG_SECONDS, TimeUnit.SECONDS), "the window change ran the hook");
        }
        readers.release.countDown();
        Frames.Frame f = reply(control[1]);
        assertEquals(Protocol.MSG_STATUS, f.type(), "the command's status came back");
        assertEquals(0, f.payload().getInt(Protocol.TLV_HEADER_SIZE), "the command succeeded");
        assertEquals(2, readers.resizes.get(), "the hook ran once per window change");
        assertFalse(readers.interruptedWhileFollowing.get(HANG_SECONDS, TimeUnit.SECONDS), "not interrupted");
        t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        assertFalse(t.isAlive(), "the connection thread ended");
    }

    @Test
    void aResizeHookThatBlocksOrFailsNeverStopsTheHangUpWatch() throws Exception {
        int[] control = pair(SocketFlags.SOCK_SEQPACKET);
        Thread t = connect(control, "followstuck");
        assertTrue(readers.following.await(HANG_SECONDS, TimeUnit.SECONDS), "the command follows the window");
        sendWinch(control[1]);
        assertTrue(readers.hookEntered.await(HANG_SECONDS, TimeUnit.SECONDS), "the hook runs and blocks");
        sendWinch(control[1]);                            // queued behind the blocked hook; that run throws
        sys.close(control[1]);                            // the client hangs up meanwhile
        fds.remove(Integer.valueOf(control[1]));
        assertTrue(readers.interruptedWhileFollowing.get(HANG_SECONDS, TimeUnit.SECONDS),
                "the hang-up interrupted the command although its hook was blocked");
        t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        assertFalse(t.isAlive(), "the connection thread ended");
        readers.hookRelease.countDown();
    }

    @Test
    void anEarlyStatusAnswersTheClientAndItsHangUpNoLongerInterrupts() throws Exception {
        int[] control = pair(SocketFlags.SOCK_SEQPACKET);
        Thread t = connect(control, "exitearly");
        Frames.Frame f = reply(control[1]);
        assertEquals(Protocol.MSG_STATUS, f.type(), "the status came back while the command still runs");
        assertEquals(7, f.payload().getInt(Protocol.TLV_HEADER_SIZE), "the early status");
        assertTrue(t.isAlive(), "the request still runs (its cleanup)");
        assertEquals(1, awaitActiveWatchers(1), "a watcher reads the connection");
        sys.close(control[1]);                            // the client exits with its status
        fds.remove(Integer.valueOf(control[1]));
        assertEquals(0, awaitActiveWatchers(0), "the watcher saw the hang-up and went back to its pool");
        readers.cleanupRelease.countDown();
        assertFalse(readers.interruptedInCleanup.get(HANG_SECONDS, TimeUnit.SECONDS),
                "the hang-up after the answer did not interrupt the cleanup");
        t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        assertFalse(t.isAlive(), "the connection thread ended");
    }

    @Test
    void aReaderLeftBehindByACommandEndsWithTheRequest() throws Exception {
        int[] control = pair(SocketFlags.SOCK_SEQPACKET);
        Thread t = connect(control, "spawnreader");
        byte[] buf = new byte[Protocol.MAX_MESSAGE];
        ReceivedMessage reply = sys.recvmsg(control[1], buf, 0, 0);
        Frames.Frame f = Frames.frame(buf, reply.length());
        assertEquals(Protocol.MSG_STATUS, f.type(), "the command's status came back");
        t.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        assertFalse(t.isAlive(), "the connection thread ended");
        assertEquals(-1, readers.readResult.get(HANG_SECONDS, TimeUnit.SECONDS), "the reader saw the end of file");
        readers.leftBehind.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
        assertFalse(readers.leftBehind.isAlive(), "the reader thread ended");
    }
}
