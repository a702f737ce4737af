package org.lxj.launcher.internal;

import static org.lxj.launcher.Protocol.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.OptionalInt;

import com.sun.jna.LastErrorException;
import com.sun.jna.ptr.IntByReference;

import org.lxj.launcher.AttachedProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command the launcher runs inside a container. The launcher stays the JVM's child: it waits for the
 * command, reports EXITED{status} and exits; a SIGNAL message makes it signal the command through its
 * pidfd; closing the control socket makes it kill the command.
 */
final class NativeAttachedProcess implements AttachedProcess {
    private static final Logger LOG = LoggerFactory.getLogger(NativeAttachedProcess.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final LibC libc;
    private final int launcherPid;
    private final int pid;
    /** Guards closing ctl against a concurrent resize, which does not take this object's monitor. */
    private final Object sendLock = new Object();
    private volatile ControlSocket ctl;
    private volatile Integer status;

    NativeAttachedProcess(LibC libc, ControlSocket ctl, int launcherPid, int pid) {
        this.libc = libc;
        this.ctl = ctl;
        this.launcherPid = launcherPid;
        this.pid = pid;
    }

    @Override
    public int pid() {
        return pid;
    }

    @Override
    public int launcherPid() {
        return launcherPid;
    }

    @Override
    public int waitFor() throws InterruptedException {
        while (true) {
            OptionalInt s = waitFor(Duration.ofSeconds(60));
            if (s.isPresent()) {
                return s.getAsInt();
            }
        }
    }

    @Override
    public synchronized OptionalInt waitFor(Duration timeout) throws InterruptedException {
        if (status != null) {
            return OptionalInt.of(status);
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return OptionalInt.empty();
                }
                ControlSocket.Frame f;
                try {
                    f = ctl.receive(Duration.ofNanos(Math.min(left, Duration.ofMillis(500).toNanos())));
                } catch (IOException timeoutOrError) {
                    if (Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                    if (timeoutOrError.getMessage() != null && timeoutOrError.getMessage().startsWith("Timed out")) {
                        continue;
                    }
                    throw timeoutOrError;
                }
                if (f == null) {
                    // the launcher exited without EXITED: take its own exit status
                    finish(reap(libc, launcherPid));
                    return OptionalInt.of(status);
                }
                if (f.type() == MSG_EXITED) {
                    finish(statusOf(f.payload()));
                    return OptionalInt.of(status);
                }
            }
        } catch (IOException e) {
            LOG.warn("Lost the launcher of attached process {}: {}", pid, e.getMessage());
            finish(reap(libc, launcherPid));
            return OptionalInt.of(status);
        }
    }

    private void finish(int s) {
        status = s;
        if (ctl != null) {
            synchronized (sendLock) {
                ctl.close();
                ctl = null;
            }
            reap(libc, launcherPid);
        }
    }

    @Override
    public synchronized boolean kill(int signal) {
        if (status != null || ctl == null) {
            return false;
        }
        try {
            ctl.send(MSG_SIGNAL, PlanEncoder.le(4).putInt(signal).array());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /*
     * Not synchronized: waitFor holds the monitor while it blocks in receive, and a resize must reach the
     * launcher meanwhile. A SEQPACKET send is atomic, so it never interleaves with a SIGNAL.
     */
    @Override
    public void resize() {
        send(MSG_RESIZE, new byte[0]);
    }

    @Override
    public void resize(int rows, int columns) {
        if (rows < 1 || rows > 0xFFFF || columns < 1 || columns > 0xFFFF) {
            throw new IllegalArgumentException("Invalid window size " + rows + "x" + columns);
        }
        send(MSG_RESIZE, PlanEncoder.le(8).putInt(rows).putInt(columns).array());
    }

    private void send(int type, byte[] payload) {
        synchronized (sendLock) {
            ControlSocket c = ctl;
            if (c == null || status != null) {
                return;
            }
            try {
                c.send(type, payload);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Launcher {} no longer takes {}: {}", launcherPid, type, e.getMessage());
            }
        }
    }

    @Override
    public synchronized void close() {
        if (ctl != null) {
            // EOF on the control socket: the launcher kills the command, reaps it and exits.
            ctl.shutdownOutput();
            try {
                ctl.awaitEof(CLOSE_TIMEOUT);
            } catch (IOException e) {
                LOG.warn("Launcher {} did not finish: {}", launcherPid, e.getMessage());
            }
            synchronized (sendLock) {
                ctl.close();
                ctl = null;
            }
            int s = reap(libc, launcherPid);
            if (status == null) {
                status = s;
            }
        }
    }

    static int statusOf(ByteBuffer payload) {
        while (payload.remaining() >= TLV_HEADER_SIZE) {
            int type = Short.toUnsignedInt(payload.getShort());
            payload.getShort();
            int len = payload.getInt();
            if (len < 0 || len > payload.remaining()) {
                break;
            }
            if (type == REPLY_STATUS && len == 4) {
                return payload.getInt();
            }
            payload.position(payload.position() + len);
        }
        return 128 + 9;
    }

    /** Waits for the launcher; its exit code is the command's status (or 128 + signal). */
    static int reap(LibC libc, int launcherPid) {
        IntByReference st = new IntByReference();
        while (true) {
            try {
                libc.waitpid(launcherPid, st, 0);
                int w = st.getValue();
                return (w & 0x7f) == 0 ? (w >> 8) & 0xff : 128 + (w & 0x7f);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    return 128 + 9;
                }
            }
        }
    }
}
