package org.lxj.launcher.internal;

import static org.lxj.launcher.Protocol.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

import org.lxj.launcher.LaunchException;

/** The JVM's end of the SOCK_SEQPACKET socketpair: one frame per message, bounded waits. */
final class ControlSocket implements AutoCloseable {
    record Frame(int type, ByteBuffer payload) {
    }

    /** No frame arrived within the wait. */
    static final class TimeoutException extends IOException {
        TimeoutException(String message) {
            super(message);
        }
    }

    private final LibC libc;
    private int fd;

    ControlSocket(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    void send(int type, byte[] payload) throws IOException {
        byte[] f = PlanEncoder.frame(type, payload);
        try {
            long n = libc.write(fd, f, f.length);
            if (n != f.length) {
                throw new IOException("Short write of " + n + " of " + f.length + " bytes to the launcher");
            }
        } catch (LastErrorException e) {
            throw new IOException("Failed to write to the launcher: " + Errno.name(e.getErrorCode()), e);
        }
    }

    /**
     * Sends one frame with descriptors attached (SCM_RIGHTS, in order), as one SOCK_SEQPACKET message.
     * Layout of x86_64/aarch64 glibc: msghdr 56 bytes, iovec 16, cmsghdr 16 plus the ints.
     */
    void send(int type, byte[] payload, int[] fds) throws IOException {
        byte[] f = PlanEncoder.frame(type, payload);
        int dataLen = 4 * fds.length;
        int cmsgLen = 16 + dataLen;
        int cmsgSpace = 16 + ((dataLen + 7) & ~7);
        Memory data = new Memory(f.length);
        data.write(0, f, 0, f.length);
        Memory iov = new Memory(16);
        iov.setPointer(0, data);
        iov.setLong(8, f.length);
        Memory control = new Memory(cmsgSpace);
        control.clear();
        control.setLong(0, cmsgLen);
        control.setInt(8, LibC.SOL_SOCKET);
        control.setInt(12, LibC.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            control.setInt(16 + 4L * i, fds[i]);
        }
        Memory msg = new Memory(56);
        msg.clear();
        msg.setPointer(16, iov);
        msg.setLong(24, 1);
        msg.setPointer(32, control);
        msg.setLong(40, cmsgSpace);
        try {
            long n = libc.sendmsg(fd, msg, LibC.MSG_NOSIGNAL);
            if (n != f.length) {
                throw new IOException("Short write of " + n + " of " + f.length + " bytes to the launcher");
            }
        } catch (LastErrorException e) {
            throw new IOException("Failed to write to the launcher: " + Errno.name(e.getErrorCode()), e);
        }
    }

    /**
     * Whether the peer is alive and silent: nothing to read and no hangup. A spare launcher sends nothing while it
     * waits, so anything else means it is gone (or going).
     */
    boolean idle() {
        byte[] pfd = PlanEncoder.le(8).putInt(fd).putShort(LibC.POLLIN).putShort((short) 0).array();
        try {
            return libc.poll(pfd, 1, 0) == 0;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** The next frame, or null on EOF (the monitor exited). */
    Frame receive(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] pfd = PlanEncoder.le(8).putInt(fd).putShort(LibC.POLLIN).putShort((short) 0).array();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new TimeoutException("Timed out after " + timeout.toMillis() + " ms waiting for the launcher");
            }
            try {
                if (libc.poll(pfd, 1, (int) Math.min(left, Integer.MAX_VALUE)) == 0) {
                    continue;
                }
                byte[] buf = new byte[MAX_MESSAGE];
                long n = libc.read(fd, buf, buf.length);
                if (n == 0) {
                    return null;
                }
                ByteBuffer b = PlanEncoder.le((int) n).put(buf, 0, (int) n).flip();
                int type = Short.toUnsignedInt(b.getShort());
                b.getShort();
                int len = b.getInt();
                if (len != b.remaining()) {
                    throw new IOException("Malformed frame from the launcher (" + n + " bytes, length " + len + ")");
                }
                return new Frame(type, b.slice().order(b.order()));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != LibC.EINTR) {
                    throw new IOException("Failed to read from the launcher: " + Errno.name(e.getErrorCode()), e);
                }
            }
        }
    }

    /** Half-closes our end: the monitor reads EOF, kills init and exits. */
    void shutdownOutput() {
        try {
            libc.shutdown(fd, LibC.SHUT_WR);
        } catch (LastErrorException ignored) {
            // the monitor is already gone
        }
    }

    /** Waits for EOF: the monitor has finished (and cleaned up) when its end closes. */
    void awaitEof(Duration timeout) throws IOException {
        while (receive(timeout) != null) {
            // drain anything the monitor still sends
        }
    }

    static LaunchException error(ByteBuffer payload) {
        int step = 0;
        int errno = 0;
        String message = "The launcher reported an error without a message";
        while (payload.remaining() >= TLV_HEADER_SIZE) {
            int type = Short.toUnsignedInt(payload.getShort());
            payload.getShort();
            int len = payload.getInt();
            if (len < 0 || len > payload.remaining()) {
                break;
            }
            byte[] v = new byte[len];
            payload.get(v);
            ByteBuffer vb = PlanEncoder.le(len).put(v).flip();
            switch (type) {
                case ERR_STEP -> step = len == 4 ? vb.getInt() : step;
                case ERR_ERRNO -> errno = len == 4 ? vb.getInt() : errno;
                case ERR_MESSAGE -> message = new String(v, 0, Math.max(0, len - 1), StandardCharsets.UTF_8);
                default -> { }
            }
        }
        return new LaunchException(step, errno, message);
    }

    static int[] pids(ByteBuffer payload) {
        int[] r = new int[2];
        Arrays.fill(r, -1);
        while (payload.remaining() >= TLV_HEADER_SIZE) {
            int type = Short.toUnsignedInt(payload.getShort());
            payload.getShort();
            int len = payload.getInt();
            if (len != 4 || len > payload.remaining()) {
                break;
            }
            int v = payload.getInt();
            if (type == REPLY_MONITOR_PID) {
                r[0] = v;
            } else if (type == REPLY_INIT_PID) {
                r[1] = v;
            }
        }
        return r;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            try {
                libc.close(fd);
            } catch (LastErrorException ignored) {
                // nothing left to release
            }
            fd = -1;
        }
    }
}
