package org.lxj.control.internal;

import static org.lxj.launcher.Protocol.MAX_MESSAGE;
import static org.lxj.launcher.Protocol.MSG_REQUEST;
import static org.lxj.launcher.Protocol.MSG_SHUTDOWN;
import static org.lxj.launcher.Protocol.MSG_WINCH;
import static org.lxj.launcher.Protocol.REQUEST_FDS;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.lxj.linux.PeerCredentials;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, on its own platform thread: checks the peer's uid, receives one request with the
 * client's fds 0–2, runs it on those fds and answers its exit status. While the command runs, a watcher
 * (a pooled thread: starting one per request cost a start 0.2-0.3 ms) reads the connection: a WINCH frame (the client's window changed) runs the command's resize hook on
 * a thread of its own, so a hook that blocks never stops the watcher; anything else, or the client hanging up
 * (Ctrl-C in the client), interrupts the command.
 */
final class Connection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    private final Syscalls sys;
    private final int fd;
    private final SessionRunner runner;
    private final Runnable shutdown;
    private final ExecutorService watchers;
    private final Object lock = new Object();
    private boolean finished;
    private boolean closed;
    private volatile boolean clientGone;
    /** The client has its status already (lxc-execute answers before the cleanup): a hang-up is no interrupt. */
    private boolean answered;
    private SessionRunner.Running running;
    /** Runs resize hooks one after another; window changes that arrive while one is queued are merged. */
    private final AtomicBoolean resizeQueued = new AtomicBoolean();
    private ExecutorService resizer;
    /** A socket pair whose second end is shut down to end every read of the client's stdin; null until a request. */
    private int[] wake;

    /** @param watchers where the watcher of a request runs; a plain thread when it takes no more work */
    Connection(Syscalls sys, int fd, SessionRunner runner, Runnable shutdown, ExecutorService watchers) {
        this.sys = sys;
        this.fd = fd;
        this.runner = runner;
        this.shutdown = shutdown;
        this.watchers = watchers;
    }

    @Override
    public void run() {
        List<Integer> fds = List.of();
        try {
            PeerCredentials peer = sys.peerCredentials(fd);
            // read the message first, whoever sent it: closing a socket with unread data resets the
            // connection, and the client would never see the answer
            byte[] buf = new byte[MAX_MESSAGE];
            ReceivedMessage m = sys.recvmsg(fd, buf, REQUEST_FDS + 1, SocketFlags.MSG_CMSG_CLOEXEC);
            fds = m.fds();
            int me = sys.geteuid();
            if (peer.uid() != me) {
                LOG.warn("Refused a control connection from pid {}: uid {} is not the runtime's uid {}", peer.pid(),
                        peer.uid(), me);
                send(Frames.error("Permission denied: uid " + peer.uid() + " may not use this runtime (uid " + me + ")"));
                return;
            }
            if (m.length() == 0) {
                return;                                   // a probe: connected and gone
            }
            if (m.truncated()) {
                throw new ProtocolException("The request is longer than " + MAX_MESSAGE + " bytes or has too many fds");
            }
            Frames.Frame frame = Frames.frame(buf, m.length());
            if (frame.type() == MSG_SHUTDOWN) {
                LOG.info("Shutdown requested by pid {}", peer.pid());
                send(Frames.status(0));
                shutdown.run();
            } else if (frame.type() == MSG_REQUEST) {
                if (fds.size() != REQUEST_FDS) {
                    throw new ProtocolException("A request comes with " + REQUEST_FDS + " fds, not " + fds.size());
                }
                Request request = Frames.request(frame.payload());
                LOG.debug("Running {} for pid {}", request.command(), peer.pid());
                runWatched(request, fds);
            } else {
                throw new ProtocolException("Unexpected message type " + frame.type());
            }
        } catch (ProtocolException e) {
            LOG.warn("Refused a control request: {}", e.getMessage());
            send(Frames.error(e.getMessage()));
        } catch (SyscallException e) {
            LOG.warn("Control connection failed: {}", e.getMessage());
        } finally {
            for (int f : fds) {
                closeQuietly(f);
            }
            synchronized (lock) {
                closed = true;
                closeQuietly(fd);
                if (wake != null) {
                    closeQuietly(wake[0]);
                    closeQuietly(wake[1]);
                }
            }
        }
    }

    /** Runs the request while a watcher waits for the client to hang up; answers the status. */
    private void runWatched(Request request, List<Integer> fds) {
        int[] f = {fds.get(0), fds.get(1), fds.get(2)};
        synchronized (lock) {
            wake = sys.socketpair(SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC);
        }
        Future<?> watcher = watch();
        try {
            int status;
            try (PrintStream out = new PrintStream(FdStreams.out(sys, f[1], this::hungUp), false, StandardCharsets.UTF_8);
                    PrintStream err = new PrintStream(FdStreams.out(sys, f[2], this::hungUp), false, StandardCharsets.UTF_8)) {
                status = runner.run(request, FdStreams.in(sys, f[0], wake[0]), out, err, f, this::started,
                        early -> answerEarly(early, out, err));
            } finally {
                synchronized (lock) {
                    finished = true;
                    wakeReaders();                        // a job left reading the client's stdin ends too
                    if (resizer != null) {
                        resizer.shutdown();               // a hook still running ends on its own
                    }
                }
                Thread.interrupted();                     // an interrupt that came too late is not ours to keep
            }
            boolean again;
            synchronized (lock) {
                again = !answered;
                answered = true;
            }
            if (again) {
                send(Frames.status(status));
            }
        } finally {
            hangUp();                                     // ends the watcher's receive
            try {
                watcher.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.warn("The watcher of a control connection failed: {}", e.getCause().toString());
            }
        }
    }

    /**
     * Answers the client with the command's status while the command still runs (its cleanup): what it printed is
     * flushed first, and the client's hang-up that follows is no longer an interrupt.
     */
    private void answerEarly(int status, PrintStream out, PrintStream err) {
        out.flush();
        err.flush();
        synchronized (lock) {
            if (answered || finished) {
                return;
            }
            answered = true;
        }
        send(Frames.status(status));
    }

    private boolean hungUp() {
        return clientGone;
    }

    private void started(SessionRunner.Running handle) {
        synchronized (lock) {
            running = handle;
        }
    }

    /**
     * Reads the connection until the client hangs up or sends anything but WINCH; while the command runs, that
     * interrupts it.
     */
    /** Starts {@link #watchHangup} on a pooled thread, or on a thread of its own once the pool is shut down. */
    private Future<?> watch() {
        try {
            return watchers.submit(this::watchHangup);
        } catch (RejectedExecutionException e) {
            FutureTask<Void> task = new FutureTask<>(this::watchHangup, null);
            Thread t = new Thread(task, "lxj-control-watch-" + fd);
            t.setDaemon(true);
            t.start();
            return task;
        }
    }

    private void watchHangup() {
        byte[] buf = new byte[64];
        try {
            for (;;) {
                ReceivedMessage m = sys.recvmsg(fd, buf, 0, 0);
                if (m.length() == 0 || m.truncated() || !isWinch(buf, m.length())) {
                    break;
                }
                windowChanged();
            }
        } catch (SyscallException e) {
            // an error on the connection means the client is gone as well
        }
        synchronized (lock) {
            if (!finished) {
                clientGone = true;                        // what the command still prints has no reader
            }
            if (!finished && !answered && running != null) {
                LOG.info("The client hung up: interrupting the command");
                running.interrupt();
            }
            if (!finished) {
                wakeReaders();                            // its stdin may be a terminal nobody types into now
            }
        }
    }

    private static boolean isWinch(byte[] buf, int length) {
        try {
            Frames.Frame f = Frames.frame(buf, length);
            return f.type() == MSG_WINCH && !f.payload().hasRemaining();
        } catch (ProtocolException e) {
            return false;
        }
    }

    /** Queues one run of the command's resize hook, unless one is queued already. */
    private void windowChanged() {
        synchronized (lock) {
            if (finished || running == null || !resizeQueued.compareAndSet(false, true)) {
                return;
            }
            if (resizer == null) {
                resizer = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "lxj-control-resize-" + fd);
                    t.setDaemon(true);
                    return t;
                });
            }
            SessionRunner.Running command = running;
            resizer.execute(() -> {
                resizeQueued.set(false);
                synchronized (lock) {
                    if (finished) {
                        return;
                    }
                }
                try {
                    if (!command.resize()) {
                        LOG.debug("A window size change, but the command follows no window size");
                    }
                } catch (RuntimeException e) {
                    LOG.debug("The command's resize hook failed: {}", String.valueOf(e.getMessage()), e);
                }
            });
        }
    }

    /** Ends every read of the client's stdin, now and later (called with the lock held). */
    private void wakeReaders() {
        if (wake == null || closed) {
            return;
        }
        try {
            sys.shutdown(wake[1], SocketFlags.SHUT_RDWR);
        } catch (SyscallException e) {
            LOG.debug("Failed to shut down the wake socket: {}", e.getMessage());
        }
    }

    private void send(byte[] frame) {
        try {
            sys.sendmsg(fd, frame, frame.length, new int[0], SocketFlags.MSG_NOSIGNAL);
        } catch (SyscallException e) {
            LOG.debug("Failed to answer the client: {}", e.getMessage());
        }
    }

    /** Shuts the connection down (not closing the fd, which stays ours until run ends). */
    private void hangUp() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            try {
                sys.shutdown(fd, SocketFlags.SHUT_RDWR);
            } catch (SyscallException e) {
                // the client is gone already
            }
        }
    }

    /** When the runtime stops: interrupts the command and hangs up, so the client sees the connection close. */
    void abort() {
        synchronized (lock) {
            if (!finished && running != null) {
                running.interrupt();
            }
            wakeReaders();
        }
        hangUp();
    }

    private void closeQuietly(int f) {
        try {
            sys.close(f);
        } catch (SyscallException e) {
            LOG.debug("Failed to close fd {}: {}", f, e.getMessage());
        }
    }
}
