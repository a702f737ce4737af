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
import org.lxj.linux.FileTimes;
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
    public short[] poll(int[] fds, short events, int timeoutMillis) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * fds.length).order(java.nio.ByteOrder.nativeOrder());
        for (int fd : fds) {
            b.putInt(fd).putShort(events).putShort((short) 0);
        }
        byte[] raw = b.array();
        call(Syscall.POLL, () -> libc.poll(raw, new NativeLong(fds.length), timeoutMillis), fds.length);
        java.nio.ByteBuffer r = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.nativeOrder());
        short[] revents = new short[fds.length];
        for (int i = 0; i < fds.length; i++) {
            revents[i] = r.getShort(8 * i + 6);
        }
        return revents;
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

    @Override
    public FileTimes lstatTimes(String path) {
        byte[] buf = new byte[StatxBuffer.SIZE];
        call(Syscall.LSTAT, () -> libc.statx(OpenFlags.AT_FDCWD, path, OpenFlags.AT_SYMLINK_NOFOLLOW,
                StatxBuffer.MASK_BASIC, buf), path);
        return StatxBuffer.times(buf);
    }

    @Override
    public void lutimens(String path, FileTimes times) {
        long[] ts = {times.atimeSec(), times.atimeNsec(), times.mtimeSec(), times.mtimeNsec()};
        call(Syscall.UTIMENSAT, () -> libc.utimensat(OpenFlags.AT_FDCWD, path, ts, OpenFlags.AT_SYMLINK_NOFOLLOW),
                path);
    }

    @Override
    public List<String> llistxattr(String path) {
        while (true) {
            long size = call(Syscall.LLISTXATTR, () -> libc.llistxattr(path, null, new NativeLong(0)), path)
                    .longValue();
            if (size == 0) {
                return List.of();
            }
            byte[] buf = new byte[(int) size];
            long got;
            try {
                got = libc.llistxattr(path, buf, new NativeLong(buf.length)).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.ERANGE.number()) {
                    continue; // grew meanwhile
                }
                throw failed(Syscall.LLISTXATTR, e, path);
            }
            List<String> names = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < got; i++) {
                if (buf[i] == 0) {
                    if (i > start) {
                        names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return names;
        }
    }

    @Override
    public byte[] lgetxattr(String path, String name) {
        while (true) {
            long size = call(Syscall.LGETXATTR, () -> libc.lgetxattr(path, name, null, new NativeLong(0)), path,
                    name).longValue();
            byte[] buf = new byte[(int) size];
            long got;
            try {
                got = libc.lgetxattr(path, name, buf, new NativeLong(buf.length)).longValue();
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.ERANGE.number()) {
                    continue;
                }
                throw failed(Syscall.LGETXATTR, e, path, name);
            }
            return Arrays.copyOf(buf, (int) got);
        }
    }

    @Override
    public void lsetxattr(String path, String name, byte[] value) {
        call(Syscall.LSETXATTR, () -> libc.lsetxattr(path, name, value, new NativeLong(value.length), 0), path,
                name);
    }

    @Override
    public void link(String oldPath, String newPath) {
        call(Syscall.LINK, () -> libc.link(oldPath, newPath), oldPath, newPath);
    }

    @Override
    public long lseek(int fd, long offset, int whence) {
        return call(Syscall.LSEEK, () -> libc.lseek(fd, offset, whence), fd, offset, whence);
    }

    @Override
    public long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long length) {
        long[] in = {offIn};
        long[] out = {offOut};
        return call(Syscall.COPY_FILE_RANGE, () -> libc.copy_file_range(fdIn, in, fdOut, out,
                new NativeLong(length), 0), fdIn, offIn, fdOut, offOut, length).longValue();
    }

    /** {@code bpf(2)}'s number: x86_64 has its own table, aarch64 and riscv64 the unified one. */
    private static final long NR_BPF = "aarch64".equals(System.getProperty("os.arch"))
            || "riscv64".equals(System.getProperty("os.arch")) ? 280 : 321;
    private static final int BPF_PROG_LOAD = 5;
    private static final int BPF_PROG_ATTACH = 8;
    private static final int BPF_PROG_DETACH = 9;
    /** Larger than the kernel's {@code union bpf_attr} of any command used here; the tail stays zero. */
    private static final int BPF_ATTR_SIZE = 128;
    private static final int BPF_LOG_SIZE = 64 * 1024;

    @Override
    public int bpfProgLoad(int progType, byte[] instructions, String license, int expectedAttachType) {
        Memory insns = new Memory(instructions.length);
        insns.write(0, instructions, 0, instructions.length);
        Memory lic = new Memory(license.length() + 1L);
        lic.setString(0, license, "US-ASCII");
        Memory attr = bpfAttr();
        attr.setInt(0, progType);
        attr.setInt(4, instructions.length / 8);
        attr.setLong(8, Pointer.nativeValue(insns));
        attr.setLong(16, Pointer.nativeValue(lic));
        attr.setInt(68, expectedAttachType);
        try {
            return libc.syscall(new NativeLong(NR_BPF), new NativeLong(BPF_PROG_LOAD), attr,
                    new NativeLong(BPF_ATTR_SIZE)).intValue();
        } catch (LastErrorException e) {
            // again with the verifier's log, for the message
            Memory log = new Memory(BPF_LOG_SIZE);
            log.clear();
            attr.setInt(24, 1);
            attr.setInt(28, BPF_LOG_SIZE);
            attr.setLong(32, Pointer.nativeValue(log));
            try {
                return libc.syscall(new NativeLong(NR_BPF), new NativeLong(BPF_PROG_LOAD), attr,
                        new NativeLong(BPF_ATTR_SIZE)).intValue();
            } catch (LastErrorException again) {
                String text = log.getString(0, "US-ASCII").strip();
                String last = text.isEmpty() ? "" : text.lines().reduce((a, b) -> b).orElse("");
                throw new SyscallException(Syscall.BPF_PROG_LOAD, e.getErrorCode(), progType,
                        instructions.length / 8, last.isEmpty() ? "" : " (verifier: " + last + ")");
            }
        } finally {
            java.lang.ref.Reference.reachabilityFence(insns);
            java.lang.ref.Reference.reachabilityFence(lic);
        }
    }

    @Override
    public void bpfProgAttach(int progFd, int targetFd, int attachType, int flags) {
        Memory attr = bpfAttr();
        attr.setInt(0, targetFd);
        attr.setInt(4, progFd);
        attr.setInt(8, attachType);
        attr.setInt(12, flags);
        call(Syscall.BPF_PROG_ATTACH, () -> libc.syscall(new NativeLong(NR_BPF), new NativeLong(BPF_PROG_ATTACH), attr,
                new NativeLong(BPF_ATTR_SIZE)), progFd, targetFd);
    }

    @Override
    public void bpfProgDetach(int progFd, int targetFd, int attachType) {
        Memory attr = bpfAttr();
        attr.setInt(0, targetFd);
        attr.setInt(4, progFd);
        attr.setInt(8, attachType);
        call(Syscall.BPF_PROG_DETACH, () -> libc.syscall(new NativeLong(NR_BPF), new NativeLong(BPF_PROG_DETACH), attr,
                new NativeLong(BPF_ATTR_SIZE)), progFd, targetFd);
    }

    private static Memory bpfAttr() {
        Memory attr = new Memory(BPF_ATTR_SIZE);
        attr.clear();
        return attr;
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
