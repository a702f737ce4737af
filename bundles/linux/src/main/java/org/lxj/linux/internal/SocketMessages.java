package org.lxj.linux.internal;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.lxj.linux.Errno;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.Syscall;
import org.lxj.linux.SyscallException;

/**
 * The C structures of the socket calls, laid out for the running ABI (LP64 or ILP32): {@code sockaddr_un},
 * {@code struct msghdr} with one {@code iovec}, and {@code SCM_RIGHTS} control messages.
 */
final class SocketMessages {
    static final int SOL_SOCKET = 1;
    static final int SO_PEERCRED = 17;
    static final int SCM_RIGHTS = 1;

    private static final int P = Native.POINTER_SIZE;
    private static final int SIZE_T = Native.SIZE_T_SIZE;
    /** msghdr: name, namelen (padded to a pointer), iov, iovlen, control, controllen, flags (padded). */
    private static final int MSG_NAME = 0;
    private static final int MSG_IOV = 2 * P;
    private static final int MSG_IOVLEN = 3 * P;
    private static final int MSG_CONTROL = 4 * P;
    private static final int MSG_CONTROLLEN = 5 * P;
    private static final int MSG_FLAGS = 6 * P;
    private static final int MSGHDR_SIZE = 7 * P;
    /** cmsghdr: cmsg_len (size_t), cmsg_level, cmsg_type, then the data at CMSG_ALIGN of that. */
    private static final int CMSG_HDR = align(SIZE_T + 8);

    private SocketMessages() {
    }

    private static int align(int n) {
        return (n + SIZE_T - 1) & ~(SIZE_T - 1);
    }

    static int controlSpace(int fds) {
        return CMSG_HDR + align(4 * fds);
    }

    /** {@code struct sockaddr_un} for {@code path}; its length is the array's. */
    static byte[] unixAddress(Syscall call, int fd, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length == 0 || bytes.length > SocketFlags.UNIX_PATH_MAX) {
            throw new SyscallException(call, Errno.ENAMETOOLONG, fd, path);
        }
        byte[] addr = new byte[2 + bytes.length + 1];
        addr[0] = (byte) SocketFlags.AF_UNIX;     // sa_family_t, little-endian on every LXJ target
        System.arraycopy(bytes, 0, addr, 2, bytes.length);
        return addr;
    }

    /** A msghdr with one iovec over {@code data} and room for {@code fds} descriptors. */
    static final class Header {
        final Memory msg = new Memory(MSGHDR_SIZE);
        final Memory data;
        final Memory control;
        private final Memory iov = new Memory(2L * P);

        Header(int dataLength, int fds) {
            data = new Memory(Math.max(1, dataLength));
            control = fds > 0 ? new Memory(controlSpace(fds)) : null;
            msg.clear();
            iov.setPointer(0, data);
            setSize(iov, P, dataLength);
            msg.setPointer(MSG_NAME, Pointer.NULL);
            msg.setPointer(MSG_IOV, iov);
            setSize(msg, MSG_IOVLEN, 1);
            if (control != null) {
                control.clear();
                msg.setPointer(MSG_CONTROL, control);
                setSize(msg, MSG_CONTROLLEN, controlSpace(fds));
            }
        }

        /** Fills the control buffer with one SCM_RIGHTS message carrying {@code fds}. */
        void putFds(int[] fds) {
            setSize(control, 0, CMSG_HDR + 4L * fds.length);
            control.setInt(SIZE_T, SOL_SOCKET);
            control.setInt(SIZE_T + 4, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                control.setInt(CMSG_HDR + 4L * i, fds[i]);
            }
        }

        int flags() {
            return msg.getInt(MSG_FLAGS);
        }

        /** The descriptors of every SCM_RIGHTS message the kernel wrote into the control buffer. */
        List<Integer> receivedFds() {
            List<Integer> fds = new ArrayList<>();
            if (control == null) {
                return fds;
            }
            long length = getSize(msg, MSG_CONTROLLEN);
            long off = 0;
            while (off + CMSG_HDR <= length) {
                long len = getSize(control, off);
                if (len < CMSG_HDR || off + len > length) {
                    break;
                }
                if (control.getInt(off + SIZE_T) == SOL_SOCKET && control.getInt(off + SIZE_T + 4) == SCM_RIGHTS) {
                    for (long p = off + CMSG_HDR; p + 4 <= off + len; p += 4) {
                        fds.add(control.getInt(p));
                    }
                }
                off += align((int) len);
            }
            return fds;
        }
    }

    private static void setSize(Pointer p, long off, long value) {
        if (SIZE_T == 8) {
            p.setLong(off, value);
        } else {
            p.setInt(off, (int) value);
        }
    }

    private static long getSize(Pointer p, long off) {
        return SIZE_T == 8 ? p.getLong(off) : Integer.toUnsignedLong(p.getInt(off));
    }
}
