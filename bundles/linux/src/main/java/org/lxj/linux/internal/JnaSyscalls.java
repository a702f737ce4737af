package org.lxj.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.lxj.linux.Errno;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.PeerCredentials;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscall;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.Uname;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@link Syscalls} through JNA and glibc. */
@Component(service = Syscalls.class)
public final class JnaSyscalls implements Syscalls {

    /** Unified syscall numbers (x86_64, aarch64 and the other table-unified architectures). */
    private static final long NR_LANDLOCK_CREATE_RULESET = 444;
    private static final long NR_LSM_LIST_MODULES = 461;
    private static final long LANDLOCK_CREATE_RULESET_VERSION = 1;
    private static final int UTS_FIELD = 65;
    private static final int PATH_MAX = 4096;

    private final LibC libc;

    @Activate
    public JnaSyscalls() {
        this.libc = Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    @Override
    public int getuid() {
        return libc.getuid();
    }

    @Override
    public int geteuid() {
        return libc.geteuid();
    }

    @Override
    public int getpid() {
        return libc.getpid();
    }

    @Override
    public Uname uname() {
        byte[] buf = new byte[UTS_FIELD * 6];
        call(Syscall.UNAME, () -> libc.uname(buf));
        return new Uname(cString(buf, 0), cString(buf, 1), cString(buf, 2), cString(buf, 3), cString(buf, 4));
    }

    private static String cString(byte[] buf, int field) {
        int start = field * UTS_FIELD;
        int end = start;
        while (end < start + UTS_FIELD && buf[end] != 0) {
            end++;
        }
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    @Override
    public void mkdir(String path, int mode) {
        call(Syscall.MKDIR, () -> libc.mkdir(path, mode), path, mode);
    }

    @Override
    public void mkdirat(int dirfd, String path, int mode) {
        call(Syscall.MKDIRAT, () -> libc.mkdirat(dirfd, path, mode), dirfd, path, mode);
    }

    @Override
    public int open(String path, int flags, int mode) {
        return call(Syscall.OPEN, () -> libc.open(path, flags, mode), path, flags, mode);
    }

    @Override
    public int openat(int dirfd, String path, int flags, int mode) {
        return call(Syscall.OPENAT, () -> libc.openat(dirfd, path, flags, mode), dirfd, path, flags, mode);
    }

    @Override
    public void close(int fd) {
        call(Syscall.CLOSE, () -> libc.close(fd), fd);
    }

    @Override
    public Stat fstat(int fd) {
        byte[] buf = new byte[StatxBuffer.SIZE];
        call(Syscall.FSTAT, () -> libc.statx(fd, "", OpenFlags.AT_EMPTY_PATH, StatxBuffer.MASK_BASIC, buf), fd);
        return StatxBuffer.decode(buf);
    }

    @Override
    public Stat lstat(String path) {
        return statx(Syscall.LSTAT, path, OpenFlags.AT_SYMLINK_NOFOLLOW);
    }

    @Override
    public Stat stat(String path) {
        return statx(Syscall.STAT, path, 0);
    }

    private Stat statx(Syscall call, String path, int flags) {
        byte[] buf = new byte[StatxBuffer.SIZE];
        call(call, () -> libc.statx(OpenFlags.AT_FDCWD, path, flags, StatxBuffer.MASK_BASIC, buf), path);
        return StatxBuffer.decode(buf);
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        call(Syscall.MOUNT, () -> libc.mount(source, target, fstype, new NativeLong(flags), data),
                source, target, fstype, flags, data);
    }

    @Override
    public void umount2(String target, int flags) {
        call(Syscall.UMOUNT2, () -> libc.umount2(target, flags), target, flags);
    }

    @Override
    public long statfs(String path) {
        // struct statfs is 120 bytes on 64-bit Linux; f_type is the first word everywhere
        byte[] buf = new byte[256];
        call(Syscall.STATFS, () -> libc.statfs(path, buf), path);
        ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
        return Native.LONG_SIZE == 8 ? b.getLong(0) : Integer.toUnsignedLong(b.getInt(0));
    }

    @Override
    public void kill(int pid, int signal) {
        call(Syscall.KILL, () -> libc.kill(pid, signal), pid, signal);
    }

    @Override
    public void flock(int fd, int operation) {
        call(Syscall.FLOCK, () -> libc.flock(fd, operation), fd, operation);
    }

    @Override
    public void unshare(int flags) {
        call(Syscall.UNSHARE, () -> libc.unshare(flags), flags);
    }

    @Override
    public void setns(int fd, int nstype) {
        call(Syscall.SETNS, () -> libc.setns(fd, nstype), fd, nstype);
    }

    @Override
    public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return call(Syscall.PRCTL, () -> libc.prctl(option, new NativeLong(arg2), new NativeLong(arg3),
                new NativeLong(arg4), new NativeLong(arg5)), option, arg2, arg3, arg4, arg5);
    }

    @Override
    public String readlink(String path) {
        int size = PATH_MAX;
        while (true) {
            byte[] buf = new byte[size];
            int capacity = size;
            long n = call(Syscall.READLINK, () -> libc.readlink(path, buf, new NativeLong(capacity)), path)
                    .longValue();
            if (n < size) {
                return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
            }
            size *= 2; // truncated: readlink does not say how long the target is
        }
    }

    @Override
    public void unlinkat(int dirfd, String path, int flags) {
        call(Syscall.UNLINKAT, () -> libc.unlinkat(dirfd, path, flags), dirfd, path, flags);
    }

    @Override
    public void rmdir(String path) {
        call(Syscall.RMDIR, () -> libc.rmdir(path), path);
    }

    @Override
    public void chown(String path, int uid, int gid) {
        call(Syscall.CHOWN, () -> libc.chown(path, uid, gid), path, uid, gid);
    }

    @Override
    public void lchown(String path, int uid, int gid) {
        call(Syscall.LCHOWN, () -> libc.lchown(path, uid, gid), path, uid, gid);
    }

    @Override
    public void chmod(String path, int mode) {
        call(Syscall.CHMOD, () -> libc.chmod(path, mode), path, mode);
    }

    @Override
    public void symlink(String target, String linkPath) {
        call(Syscall.SYMLINK, () -> libc.symlink(target, linkPath), target, linkPath);
    }

    @Override
    public void mknod(String path, int mode, long dev) {
        call(Syscall.MKNOD, () -> libc.mknod(path, mode, dev), path, mode, dev);
    }

    @Override
    public void sethostname(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        call(Syscall.SETHOSTNAME, () -> libc.sethostname(bytes, new NativeLong(bytes.length)), name);
    }

    @Override
    public int landlockAbiVersion() {
        return call(Syscall.LANDLOCK_CREATE_RULESET, () -> libc.syscall(new NativeLong(NR_LANDLOCK_CREATE_RULESET),
                Pointer.NULL, new NativeLong(0), new NativeLong(LANDLOCK_CREATE_RULESET_VERSION)).intValue());
    }

    @Override
    public List<Long> lsmListModules() {
        int capacity = 16;
        while (true) {
            Memory ids = new Memory(8L * capacity);
            Memory size = new Memory(4);
            size.setInt(0, 8 * capacity);
            long count;
            try {
                count = libc.syscall(new NativeLong(NR_LSM_LIST_MODULES), ids, size, new NativeLong(0)).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.E2BIG.number() && capacity < 1024) {
                    capacity = Math.max(capacity * 2, size.getInt(0) / 8);
                    continue;
                }
                throw failed(Syscall.LSM_LIST_MODULES, e);
            }
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(ids.getLong(8L * i));
            }
            return out;
        }
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        return call(Syscall.SOCKET, () -> libc.socket(domain, type, protocol), domain, type, protocol);
    }

    @Override
    public int[] socketpair(int type) {
        int[] sv = new int[2];
        call(Syscall.SOCKETPAIR, () -> libc.socketpair(SocketFlags.AF_UNIX, type, 0, sv), type);
        return sv;
    }

    @Override
    public void bind(int fd, String path) {
        byte[] addr = SocketMessages.unixAddress(Syscall.BIND, fd, path);
        call(Syscall.BIND, () -> libc.bind(fd, addr, addr.length), fd, path);
    }

    @Override
    public void connect(int fd, String path) {
        byte[] addr = SocketMessages.unixAddress(Syscall.CONNECT, fd, path);
        call(Syscall.CONNECT, () -> libc.connect(fd, addr, addr.length), fd, path);
    }

    @Override
    public void listen(int fd, int backlog) {
        call(Syscall.LISTEN, () -> libc.listen(fd, backlog), fd, backlog);
    }

    @Override
    public int accept(int fd, int flags) {
        return call(Syscall.ACCEPT4, () -> libc.accept4(fd, Pointer.NULL, Pointer.NULL, flags), fd, flags);
    }

    @Override
    public PeerCredentials peerCredentials(int fd) {
        byte[] ucred = new byte[12];
        int[] len = {ucred.length};
        call(Syscall.GETSOCKOPT, () -> libc.getsockopt(fd, SocketMessages.SOL_SOCKET, SocketMessages.SO_PEERCRED,
                ucred, len), fd);
        ByteBuffer b = ByteBuffer.wrap(ucred).order(ByteOrder.nativeOrder());
        return new PeerCredentials(b.getInt(0), b.getInt(4), b.getInt(8));
    }

    @Override
    public int sendmsg(int fd, byte[] data, int length, int[] fds, int flags) {
        SocketMessages.Header h = new SocketMessages.Header(length, fds.length);
        h.data.write(0, data, 0, length);
        if (fds.length > 0) {
            h.putFds(fds);
        }
        return call(Syscall.SENDMSG, () -> libc.sendmsg(fd, h.msg, flags), fd).intValue();
    }

    @Override
    public ReceivedMessage recvmsg(int fd, byte[] buffer, int maxFds, int flags) {
        SocketMessages.Header h = new SocketMessages.Header(buffer.length, maxFds);
        int n = call(Syscall.RECVMSG, () -> libc.recvmsg(fd, h.msg, flags), fd).intValue();
        h.data.read(0, buffer, 0, Math.min(n, buffer.length));
        int got = h.flags();
        boolean truncated = (got & (SocketFlags.MSG_TRUNC | SocketFlags.MSG_CTRUNC)) != 0;
        return new ReceivedMessage(n, h.receivedFds(), truncated);
    }

    @Override
    public void shutdown(int fd, int how) {
        call(Syscall.SHUTDOWN, () -> libc.shutdown(fd, how), fd, how);
    }

    @Override
    public int read(int fd, byte[] buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        byte[] target = offset == 0 ? buffer : new byte[length];
        int n = call(Syscall.READ, () -> libc.read(fd, target, new NativeLong(length)), fd).intValue();
        if (target != buffer && n > 0) {
            System.arraycopy(target, 0, buffer, offset, n);
        }
        return n;
    }

    @Override
    public int write(int fd, byte[] buffer, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
        byte[] source = offset == 0 ? buffer : Arrays.copyOfRange(buffer, offset, offset + length);
        return call(Syscall.WRITE, () -> libc.write(fd, source, new NativeLong(length)), fd).intValue();
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        return call(Syscall.IOCTL, () -> libc.ioctl(fd, new NativeLong(request), new NativeLong(arg)), fd, request);
    }

    @Override
    public int ioctlBuffer(int fd, long request, byte[] buffer) {
        return call(Syscall.IOCTL, () -> libc.ioctl(fd, new NativeLong(request), buffer), fd, request);
    }

    @Override
    public void ftruncate(int fd, long length) {
        call(Syscall.FTRUNCATE, () -> libc.ftruncate(fd, length), fd, length);
    }

    /** Runs one native call; JNA has read errno on the native side before this sees the exception. */
    private static <T> T call(Syscall call, Supplier<T> nativeCall, Object... args) {
        try {
            return nativeCall.get();
        } catch (LastErrorException e) {
            throw failed(call, e, args);
        }
    }

    private static SyscallException failed(Syscall call, LastErrorException e, Object... args) {
        return new SyscallException(call, e.getErrorCode(), Arrays.copyOf(args, args.length));
    }
}
