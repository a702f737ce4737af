package org.lxj.linux.fake;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.lxj.linux.Errno;
import org.lxj.linux.FileTimes;
import org.lxj.linux.PeerCredentials;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscall;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.Uname;

/**
 * A {@link Syscalls} that touches nothing: it records every call (name and arguments, in order) and
 * answers from a script. Unscripted calls succeed with a neutral result: setters do nothing, ids are
 * 0 (root), {@code getpid} is 4242, {@code open} hands out fds from 3 up, {@code prctl} returns 0.
 * Look-ups have no neutral answer: {@code stat}, {@code lstat}, {@code fstat}, {@code statfs},
 * {@code readlink} fail with {@code ENOENT} unless scripted, and the Landlock and LSM queries with
 * {@code ENOSYS}.
 * <p>
 * Scripted failures throw the same {@link SyscallException} (same message) as the real implementation.
 * Rules are checked newest first; a one-shot rule is used once. Thread-safe.
 */
public final class RecordingSyscalls implements Syscalls {

    private final List<SyscallCall> calls = new ArrayList<>();
    private final Map<Syscall, Deque<Rule>> rules = new EnumMap<>(Syscall.class);
    private final Map<String, Stat> stats = new HashMap<>();
    private int nextFd = 3;

    private record Rule(Predicate<SyscallCall> when, Function<SyscallCall, Object> answer, boolean once) {
    }

    /** Every call so far, in order. */
    public synchronized List<SyscallCall> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one kind, in order. */
    public synchronized List<SyscallCall> calls(Syscall syscall) {
        return calls.stream().filter(c -> c.syscall() == syscall).toList();
    }

    /** Forgets the recorded calls (the script stays). */
    public synchronized void clearCalls() {
        calls.clear();
    }

    /**
     * The general rule: when a {@code syscall} call matches {@code when}, {@code answer} gives its
     * result (boxed; ignored for void calls) or throws.
     */
    public synchronized RecordingSyscalls on(Syscall syscall, Predicate<SyscallCall> when,
            Function<SyscallCall, Object> answer) {
        rules.computeIfAbsent(syscall, k -> new ArrayDeque<>()).addFirst(new Rule(when, answer, false));
        return this;
    }

    /** Every {@code syscall} call fails with {@code errno}. */
    public RecordingSyscalls fail(Syscall syscall, Errno errno) {
        return on(syscall, c -> true, c -> {
            throw exception(c, errno);
        });
    }

    /** The next {@code syscall} call fails with {@code errno}; later ones follow the rest of the script. */
    public synchronized RecordingSyscalls failOnce(Syscall syscall, Errno errno) {
        rules.computeIfAbsent(syscall, k -> new ArrayDeque<>()).addFirst(new Rule(c -> true, c -> {
            throw exception(c, errno);
        }, true));
        return this;
    }

    /**
     * {@code syscall} calls whose subject (the path or fd the error message names, see
     * {@link SyscallException#argument()}) equals {@code subject} fail with {@code errno}.
     */
    public RecordingSyscalls failOn(Syscall syscall, String subject, Errno errno) {
        return on(syscall, c -> subject.equals(exception(c, errno).argument()), c -> {
            throw exception(c, errno);
        });
    }

    /** Every {@code syscall} call returns {@code result}. */
    public RecordingSyscalls answer(Syscall syscall, Object result) {
        return on(syscall, c -> true, c -> result);
    }

    /** {@code stat}, {@code lstat} of {@code path} return {@code stat} (no symlinks are followed). */
    public synchronized RecordingSyscalls withStat(String path, Stat stat) {
        stats.put(path, Objects.requireNonNull(stat, "stat"));
        return this;
    }

    private static SyscallException exception(SyscallCall c, Errno errno) {
        return new SyscallException(c.syscall(), errno, c.args().toArray());
    }

    private synchronized Object call(Syscall syscall, Function<SyscallCall, Object> fallback, Object... args) {
        SyscallCall call = new SyscallCall(syscall, Arrays.asList(args));
        calls.add(call);
        Deque<Rule> list = rules.get(syscall);
        if (list != null) {
            for (Rule r : list) {
                if (r.when().test(call)) {
                    if (r.once()) {
                        list.remove(r);
                    }
                    return r.answer().apply(call);
                }
            }
        }
        return fallback.apply(call);
    }

    private Object fallbackNone(SyscallCall c) {
        return null;
    }

    private Object fallbackFail(SyscallCall c, Errno errno) {
        throw exception(c, errno);
    }

    private int intCall(Syscall s, int neutral, Object... args) {
        return ((Number) call(s, c -> neutral, args)).intValue();
    }

    private void voidCall(Syscall s, Object... args) {
        call(s, this::fallbackNone, args);
    }

    private Stat statCall(Syscall s, Object... args) {
        return (Stat) call(s, c -> {
            Stat known = args[0] instanceof String p ? stats.get(p) : null;
            return known != null ? known : fallbackFail(c, Errno.ENOENT);
        }, args);
    }

    @Override
    public int getuid() {
        return intCall(Syscall.GETUID, 0);
    }

    @Override
    public int geteuid() {
        return intCall(Syscall.GETEUID, 0);
    }

    @Override
    public int getpid() {
        return intCall(Syscall.GETPID, 4242);
    }

    @Override
    public Uname uname() {
        return (Uname) call(Syscall.UNAME, c -> new Uname("Linux", "fake", "6.1.0-fake", "#1 SMP", "x86_64"));
    }

    @Override
    public void mkdir(String path, int mode) {
        voidCall(Syscall.MKDIR, path, mode);
    }

    @Override
    public void mkdirat(int dirfd, String path, int mode) {
        voidCall(Syscall.MKDIRAT, dirfd, path, mode);
    }

    @Override
    public int open(String path, int flags, int mode) {
        return ((Number) call(Syscall.OPEN, c -> nextFd++, path, flags, mode)).intValue();
    }

    @Override
    public int openat(int dirfd, String path, int flags, int mode) {
        return ((Number) call(Syscall.OPENAT, c -> nextFd++, dirfd, path, flags, mode)).intValue();
    }

    @Override
    public void close(int fd) {
        voidCall(Syscall.CLOSE, fd);
    }

    @Override
    public Stat fstat(int fd) {
        return statCall(Syscall.FSTAT, fd);
    }

    @Override
    public Stat lstat(String path) {
        return statCall(Syscall.LSTAT, path);
    }

    @Override
    public Stat stat(String path) {
        return statCall(Syscall.STAT, path);
    }

    @Override
    public void mount(String source, String target, String fstype, long flags, String data) {
        voidCall(Syscall.MOUNT, source, target, fstype, flags, data);
    }

    @Override
    public void umount2(String target, int flags) {
        voidCall(Syscall.UMOUNT2, target, flags);
    }

    @Override
    public long statfs(String path) {
        return ((Number) call(Syscall.STATFS, c -> fallbackFail(c, Errno.ENOENT), path)).longValue();
    }

    @Override
    public void kill(int pid, int signal) {
        voidCall(Syscall.KILL, pid, signal);
    }

    @Override
    public void flock(int fd, int operation) {
        voidCall(Syscall.FLOCK, fd, operation);
    }

    @Override
    public void unshare(int flags) {
        voidCall(Syscall.UNSHARE, flags);
    }

    @Override
    public void setns(int fd, int nstype) {
        voidCall(Syscall.SETNS, fd, nstype);
    }

    @Override
    public int prctl(int option, long arg2, long arg3, long arg4, long arg5) {
        return intCall(Syscall.PRCTL, 0, option, arg2, arg3, arg4, arg5);
    }

    @Override
    public String readlink(String path) {
        return (String) call(Syscall.READLINK, c -> fallbackFail(c, Errno.ENOENT), path);
    }

    @Override
    public void unlinkat(int dirfd, String path, int flags) {
        voidCall(Syscall.UNLINKAT, dirfd, path, flags);
    }

    @Override
    public void rmdir(String path) {
        voidCall(Syscall.RMDIR, path);
    }

    @Override
    public void chown(String path, int uid, int gid) {
        voidCall(Syscall.CHOWN, path, uid, gid);
    }

    @Override
    public void lchown(String path, int uid, int gid) {
        voidCall(Syscall.LCHOWN, path, uid, gid);
    }

    @Override
    public void chmod(String path, int mode) {
        voidCall(Syscall.CHMOD, path, mode);
    }

    @Override
    public void symlink(String target, String linkPath) {
        voidCall(Syscall.SYMLINK, target, linkPath);
    }

    @Override
    public void mknod(String path, int mode, long dev) {
        voidCall(Syscall.MKNOD, path, mode, dev);
    }

    @Override
    public void sethostname(String name) {
        voidCall(Syscall.SETHOSTNAME, name);
    }

    @Override
    public int landlockAbiVersion() {
        return ((Number) call(Syscall.LANDLOCK_CREATE_RULESET, c -> fallbackFail(c, Errno.ENOSYS))).intValue();
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Long> lsmListModules() {
        return List.copyOf((List<Long>) call(Syscall.LSM_LIST_MODULES, c -> fallbackFail(c, Errno.ENOSYS)));
    }

    /** A new fd, as {@code open} hands them out. */
    @Override
    public int socket(int domain, int type, int protocol) {
        return ((Number) call(Syscall.SOCKET, c -> nextFd++, domain, type, protocol)).intValue();
    }

    @Override
    public int[] socketpair(int type) {
        return (int[]) call(Syscall.SOCKETPAIR, c -> new int[] {nextFd++, nextFd++}, type);
    }

    @Override
    public void bind(int fd, String path) {
        voidCall(Syscall.BIND, fd, path);
    }

    @Override
    public void connect(int fd, String path) {
        voidCall(Syscall.CONNECT, fd, path);
    }

    @Override
    public void listen(int fd, int backlog) {
        voidCall(Syscall.LISTEN, fd, backlog);
    }

    @Override
    public int accept(int fd, int flags) {
        return ((Number) call(Syscall.ACCEPT4, c -> nextFd++, fd, flags)).intValue();
    }

    /** Unscripted: pid 4242, uid and gid 0, as {@link #getpid} and {@link #getuid} answer. */
    @Override
    public PeerCredentials peerCredentials(int fd) {
        return (PeerCredentials) call(Syscall.GETSOCKOPT, c -> new PeerCredentials(4242, 0, 0), fd);
    }

    /** Unscripted: the whole message is sent. The fds are recorded as a list. */
    @Override
    public int sendmsg(int fd, byte[] data, int length, int[] fds, int flags) {
        return ((Number) call(Syscall.SENDMSG, c -> length, fd, Arrays.copyOf(data, length),
                Arrays.stream(fds).boxed().toList(), flags)).intValue();
    }

    /**
     * Unscripted: the end of the stream (length 0, no fds). A scripted answer is a {@link ReceivedMessage}
     * whose bytes are copied into {@code buffer} when the answer is a {@code Scripted} message.
     */
    @Override
    public ReceivedMessage recvmsg(int fd, byte[] buffer, int maxFds, int flags) {
        Object answer = call(Syscall.RECVMSG, c -> new ReceivedMessage(0, List.of(), false), fd, maxFds, flags);
        if (answer instanceof ScriptedMessage m) {
            System.arraycopy(m.data(), 0, buffer, 0, Math.min(m.data().length, buffer.length));
            return new ReceivedMessage(m.data().length, m.fds(), m.data().length > buffer.length);
        }
        return (ReceivedMessage) answer;
    }

    /**
     * A message for a scripted {@link #recvmsg}: its bytes and the fds that come with it.
     *
     * @param data the bytes received
     * @param fds  the descriptors received
     * @since 1.1
     */
    public record ScriptedMessage(byte[] data, List<Integer> fds) {
    }

    @Override
    public void shutdown(int fd, int how) {
        voidCall(Syscall.SHUTDOWN, fd, how);
    }

    /** Unscripted: every fd is readable ({@link org.lxj.linux.PollEvents#POLLIN}). */
    @Override
    public short[] poll(int[] fds, short events, int timeoutMillis) {
        return (short[]) call(Syscall.POLL, c -> {
            short[] r = new short[fds.length];
            java.util.Arrays.fill(r, org.lxj.linux.PollEvents.POLLIN);
            return r;
        }, fds.length, events, timeoutMillis);
    }

    /** Unscripted: the end of the file (0). */
    @Override
    public int read(int fd, byte[] buffer, int offset, int length) {
        return intCall(Syscall.READ, 0, fd, offset, length);
    }

    /** Unscripted: everything is written. The bytes are recorded. */
    @Override
    public int write(int fd, byte[] buffer, int offset, int length) {
        return ((Number) call(Syscall.WRITE, c -> length, fd, Arrays.copyOfRange(buffer, offset, offset + length)))
                .intValue();
    }

    /** Recorded as {@code (fd, request, arg)}; answers 0 unless scripted. */
    @Override
    public int ioctl(int fd, long request, long arg) {
        return intCall(Syscall.IOCTL, 0, fd, request, arg);
    }

    /**
     * Recorded as {@code (fd, request, copy of buffer)}; answers 0 unless scripted. A scripted answer may fill
     * the caller's buffer through {@link #ioctlBufferOf(SyscallCall)}.
     */
    @Override
    public int ioctlBuffer(int fd, long request, byte[] buffer) {
        return ((Number) call(Syscall.IOCTL, c -> 0, fd, request, buffer.clone(), new BufferRef(buffer)))
                .intValue();
    }

    /** The caller's own buffer of a recorded {@link #ioctlBuffer} call, for a scripted answer to fill. */
    public static byte[] ioctlBufferOf(SyscallCall call) {
        return ((BufferRef) call.arg(3)).buffer();
    }

    /** The caller's buffer of an {@link #ioctlBuffer} call, kept apart from the recorded copy. */
    public record BufferRef(byte[] buffer) {
        @Override
        public String toString() {
            return "buffer[" + buffer.length + "]";
        }
    }

    @Override
    public void ftruncate(int fd, long length) {
        voidCall(Syscall.FTRUNCATE, fd, length);
    }

    /** Unscripted: the epoch. */
    @Override
    public FileTimes lstatTimes(String path) {
        return (FileTimes) call(Syscall.LSTAT, c -> new FileTimes(0, 0, 0, 0), path, "times");
    }

    @Override
    public void lutimens(String path, FileTimes times) {
        voidCall(Syscall.UTIMENSAT, path, times);
    }

    /** Unscripted: no attributes. */
    @SuppressWarnings("unchecked")
    @Override
    public List<String> llistxattr(String path) {
        return (List<String>) call(Syscall.LLISTXATTR, c -> List.of(), path);
    }

    /** Unscripted: fails with {@code ENODATA}. */
    @Override
    public byte[] lgetxattr(String path, String name) {
        return (byte[]) call(Syscall.LGETXATTR, c -> fallbackFail(c, Errno.ENODATA), path, name);
    }

    /** The value is recorded as a copy. */
    @Override
    public void lsetxattr(String path, String name, byte[] value) {
        voidCall(Syscall.LSETXATTR, path, name, value.clone());
    }

    @Override
    public void link(String oldPath, String newPath) {
        voidCall(Syscall.LINK, oldPath, newPath);
    }

    /** Unscripted: fails with {@code ENXIO}, as a seek for data past the end does. */
    @Override
    public long lseek(int fd, long offset, int whence) {
        return ((Number) call(Syscall.LSEEK, c -> fallbackFail(c, Errno.ENXIO), fd, offset, whence)).longValue();
    }

    /** Unscripted: the end of the input (0). */
    @Override
    public long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long length) {
        return ((Number) call(Syscall.COPY_FILE_RANGE, c -> 0L, fdIn, offIn, fdOut, offOut, length)).longValue();
    }

    /** Unscripted: a new fd; recorded with the program type, the instruction count and the attach type. */
    @Override
    public int bpfProgLoad(int progType, byte[] instructions, String license, int expectedAttachType) {
        return ((Number) call(Syscall.BPF_PROG_LOAD, c -> nextFd++, progType, instructions.length / 8, "",
                license, expectedAttachType)).intValue();
    }

    @Override
    public void bpfProgAttach(int progFd, int targetFd, int attachType, int flags) {
        voidCall(Syscall.BPF_PROG_ATTACH, progFd, targetFd, attachType, flags);
    }

    @Override
    public void bpfProgDetach(int progFd, int targetFd, int attachType) {
        voidCall(Syscall.BPF_PROG_DETACH, progFd, targetFd, attachType);
    }
}
