package org.lxj.control.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

import org.lxj.linux.Errno;
import org.lxj.linux.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that accept the control socket's connections. Each runs the connection it accepted itself, so a
 * request is read by the thread the kernel woke in {@code accept}: no hand-off to another thread and no thread
 * start on a client's path (a platform thread's start is 0.1-0.2 ms here). {@code spare} threads wait when no
 * client is connected; one more starts only when a thread takes a connection while no other waits (concurrent
 * clients), and a thread whose connection ends while {@code spare} others wait ends too, so sequential clients
 * never start a thread.
 */
final class Acceptors {
    private static final Logger LOG = LoggerFactory.getLogger(Acceptors.class);

    private final ControlSocket socket;
    private final int spare;
    private final IntConsumer serve;
    private final String name;
    /** The threads waiting in accept now. */
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    /** Every thread still running, waiting or serving. */
    private final Set<Thread> alive = ConcurrentHashMap.newKeySet();
    private final AtomicInteger started = new AtomicInteger();
    private volatile boolean closing;

    /** {@code serve} runs one accepted connection on the accepting thread and closes its fd. */
    Acceptors(ControlSocket socket, int spare, IntConsumer serve, String name) {
        if (spare < 1) {
            throw new IllegalArgumentException("At least one thread must wait for connections, not " + spare);
        }
        this.socket = socket;
        this.spare = spare;
        this.serve = serve;
        this.name = name;
    }

    void start() {
        for (int i = 0; i < spare; i++) {
            startOne();
        }
    }

    private void startOne() {
        Thread t = new Thread(this::acceptLoop, name + started.incrementAndGet());
        t.setDaemon(true);
        waiting.add(t);                                   // counted as waiting from now: no second start for it
        alive.add(t);
        t.start();
    }

    private void acceptLoop() {
        Thread me = Thread.currentThread();
        try {
            while (!closing) {
                waiting.add(me);
                int fd;
                try {
                    fd = socket.accept();
                } catch (SyscallException e) {
                    if (closing) {
                        return;
                    }
                    if (!e.is(Errno.EINTR) && !e.is(Errno.ECONNABORTED)) {
                        // out of fds or memory: let connections finish rather than spin
                        LOG.warn("{}", e.getMessage());
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    }
                    continue;
                }
                waiting.remove(me);
                if (waiting.isEmpty() && !closing) {
                    startOne();                           // every other thread is busy: the next client needs one
                }
                try {
                    serve.accept(fd);
                } finally {
                    Thread.interrupted();                 // an interrupt of this connection is not the next one's
                }
                if (waiting.size() >= spare) {
                    return;                               // enough threads wait already
                }
            }
        } finally {
            waiting.remove(me);
            alive.remove(me);
        }
    }

    /**
     * Stops accepting: shuts the socket down, which wakes every waiting thread, and waits at most
     * {@code joinMillis} for those to end. Threads serving a connection end with it.
     */
    void close(long joinMillis) {
        closing = true;
        socket.shutdown();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(joinMillis);
        try {
            for (Thread t : Set.copyOf(waiting)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    break;
                }
                t.join(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean closing() {
        return closing;
    }

    /** How many threads were started so far. */
    int started() {
        return started.get();
    }

    /** How many threads wait in accept now. */
    int waiting() {
        return waiting.size();
    }

    /** How many threads run, waiting or serving. */
    int alive() {
        return alive.size();
    }
}
