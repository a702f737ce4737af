package org.lxj.control.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.internal.JnaSyscalls;

/** The accepting threads on a real socket in a temporary directory: no root needed. */
class AcceptorsTest {
    private static final long WAIT_SECONDS = 10;
    private final JnaSyscalls sys = new JnaSyscalls();
    private final List<Integer> clients = new ArrayList<>();
    private ControlSocket socket;
    private Acceptors acceptors;

    @TempDir
    Path tmp;

    @AfterEach
    void cleanUp() {
        if (acceptors != null) {
            acceptors.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        if (socket != null) {
            socket.close();
        }
        for (int fd : clients) {
            sys.close(fd);
        }
    }

    private void listen(int spare, IntConsumer serve) throws ControlException {
        socket = ControlSocket.listen(sys, tmp.resolve("control.sock"));
        acceptors = new Acceptors(socket, spare, fd -> {
            try {
                serve.accept(fd);
            } finally {
                sys.close(fd);
            }
        }, "test-acceptor-");
        acceptors.start();
    }

    private int connect() {
        int fd = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0);
        clients.add(fd);
        sys.connect(fd, socket.path().toString());
        return fd;
    }

    /** Waits for a state the threads reach on their own; fails after {@value #WAIT_SECONDS} s. */
    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "Timed out waiting until " + what);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    @Test
    void sequentialClientsAreServedWithoutStartingAThread() throws Exception {
        Set<String> servedBy = ConcurrentHashMap.newKeySet();
        CountDownLatch[] served = {null};
        listen(2, fd -> {
            servedBy.add(Thread.currentThread().getName());
            served[0].countDown();
        });
        await(() -> acceptors.waiting() == 2, "two threads wait");
        for (int i = 0; i < 20; i++) {
            served[0] = new CountDownLatch(1);
            connect();
            assertTrue(served[0].await(WAIT_SECONDS, TimeUnit.SECONDS), "client " + i + " served");
            await(() -> acceptors.waiting() == 2, "the thread is back in accept");
        }
        assertEquals(2, acceptors.started(), "no thread started for a client");
        assertEquals(2, acceptors.alive());
        assertTrue(servedBy.stream().allMatch(n -> n.startsWith("test-acceptor-")), servedBy.toString());
    }

    @Test
    void aSecondClientIsServedWhileTheFirstStillRuns() throws Exception {
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch secondServed = new CountDownLatch(1);
        CountDownLatch firstDone = new CountDownLatch(1);
        listen(1, fd -> {
            if (firstRunning.getCount() > 0) {
                firstRunning.countDown();
                try {
                    // the first connection ends only once the second was served, on another thread
                    if (secondServed.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                        firstDone.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else {
                secondServed.countDown();
            }
        });
        connect();
        assertTrue(firstRunning.await(WAIT_SECONDS, TimeUnit.SECONDS));
        connect();
        assertTrue(firstDone.await(WAIT_SECONDS, TimeUnit.SECONDS), "the second client was served meanwhile");
        assertEquals(3, acceptors.started(), "a thread started each time the only waiting one took a client");
        // the threads that served the two clients end: one waits already
        await(() -> acceptors.alive() == 1 && acceptors.waiting() == 1, "one thread is left, waiting");
    }

    @Test
    void closeWakesEveryWaitingThread() throws Exception {
        listen(3, fd -> { });
        await(() -> acceptors.waiting() == 3, "three threads wait");
        acceptors.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertTrue(acceptors.closing());
        assertEquals(0, acceptors.alive(), "every thread ended");
        assertEquals(3, acceptors.started());
    }
}
