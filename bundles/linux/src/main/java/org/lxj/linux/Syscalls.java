package org.lxj.linux;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The Linux calls LXJ makes from Java. Each failing call throws {@link SyscallException} with the
 * errno read immediately after the call, on the calling thread. Paths are passed to the kernel as
 * UTF-8 and are not resolved by Java first.
 * <p>
 * Obtain it as an OSGi service; unit tests use {@link org.lxj.linux.fake.RecordingSyscalls}.
 * Namespace calls ({@link #unshare}, {@link #setns}) affect only the calling thread of a multithreaded
 * JVM and {@code CLONE_NEWUSER} always fails there; container processes are made by the launcher.
 */
@ProviderType
public interface Syscalls {

    int getuid();

    int geteuid();

    int getpid();

    Uname uname();

    void mkdir(String path, int mode);

    void mkdirat(int dirfd, String path, int mode);

    /** Returns the new file descriptor. */
    int open(String path, int flags, int mode);

    /** Returns the new file descriptor. */
    int openat(int dirfd, String path, int flags, int mode);

    void close(int fd);

    Stat fstat(int fd);

    /** Stats {@code path} without following a final symlink. */
    Stat lstat(String path);

    /** Stats {@code path}, following symlinks. */
    Stat stat(String path);

    /** {@code source}, {@code fstype} and {@code data} may be {@code null}. Flags from {@link MountFlags}. */
    void mount(String source, String target, String fstype, long flags, String data);

    void umount2(String target, int flags);

    /** The filesystem type magic ({@code f_type}) of the filesystem holding {@code path}; see {@link FsMagic}. */
    long statfs(String path);

    void kill(int pid, int signal);

    /** Operation from {@link OpenFlags} ({@code LOCK_EX | LOCK_NB}, ...). */
    void flock(int fd, int operation);

    /** Flags from {@link CloneFlags}; affects the calling thread only. */
    void unshare(int flags);

    /** {@code nstype} from {@link CloneFlags} or 0; affects the calling thread only. */
    void setns(int fd, int nstype);

    /** Returns what the call returns (0 for setters). Options from {@link PrctlOptions}. */
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);

    /** The target of the symlink at {@code path}. */
    String readlink(String path);

    /** {@code flags} 0 or {@link OpenFlags#AT_REMOVEDIR}. */
    void unlinkat(int dirfd, String path, int flags);

    void rmdir(String path);

    void chown(String path, int uid, int gid);

    /** Changes the owner of a symlink itself. */
    void lchown(String path, int uid, int gid);

    void chmod(String path, int mode);

    /** Creates {@code linkPath} pointing at {@code target}. */
    void symlink(String target, String linkPath);

    /** {@code mode} includes the file type ({@link Stat#S_IFCHR}, ...); {@code dev} from {@link Stat#makedev}. */
    void mknod(String path, int mode, long dev);

    /** Sets the hostname of the calling thread's UTS namespace. */
    void sethostname(String name);

    /**
     * {@code landlock_create_ruleset(NULL, 0, LANDLOCK_CREATE_RULESET_VERSION)}: the highest Landlock ABI
     * the kernel supports. Fails with {@code ENOSYS} or {@code EOPNOTSUPP} when Landlock is unavailable.
     */
    int landlockAbiVersion();

    /**
     * {@code lsm_list_modules(2)} (Linux 6.8+): the ids ({@code LSM_ID_*}) of the active LSMs in the
     * kernel's order. Fails with {@code ENOSYS} on older kernels.
     */
    List<Long> lsmListModules();

    /**
     * {@code socket(2)}: returns the new fd. Constants in {@link SocketFlags}.
     *
     * @since 1.1
     */
    int socket(int domain, int type, int protocol);

    /**
     * {@code socketpair(2)} of {@code AF_UNIX}: returns the two connected fds.
     *
     * @since 1.1
     */
    int[] socketpair(int type);

    /**
     * Binds a Unix socket to a filesystem {@code path} (at most {@link SocketFlags#UNIX_PATH_MAX} bytes).
     *
     * @since 1.1
     */
    void bind(int fd, String path);

    /**
     * Connects a Unix socket to the socket at {@code path}.
     *
     * @since 1.1
     */
    void connect(int fd, String path);

    /** @since 1.1 */
    void listen(int fd, int backlog);

    /**
     * {@code accept4(2)} without the peer's address: returns the connection's fd. {@code flags}:
     * {@link SocketFlags#SOCK_CLOEXEC}, {@link SocketFlags#SOCK_NONBLOCK}.
     *
     * @since 1.1
     */
    int accept(int fd, int flags);

    /**
     * The credentials of the peer of a connected Unix socket ({@code getsockopt(SO_PEERCRED)}).
     *
     * @since 1.1
     */
    PeerCredentials peerCredentials(int fd);

    /**
     * {@code sendmsg(2)} of {@code data[0..length)} with {@code fds} attached ({@code SCM_RIGHTS}; none when
     * empty). Returns the number of bytes sent. {@code flags} such as {@link SocketFlags#MSG_NOSIGNAL}.
     *
     * @since 1.1
     */
    int sendmsg(int fd, byte[] data, int length, int[] fds, int flags);

    /**
     * {@code recvmsg(2)} into {@code buffer}, accepting up to {@code maxFds} descriptors ({@code SCM_RIGHTS}).
     * {@code flags} such as {@link SocketFlags#MSG_CMSG_CLOEXEC}.
     *
     * @since 1.1
     */
    ReceivedMessage recvmsg(int fd, byte[] buffer, int maxFds, int flags);

    /**
     * {@code shutdown(2)}; {@code how} from {@link SocketFlags}. On a listening socket it wakes a blocked
     * {@link #accept}.
     *
     * @since 1.1
     */
    void shutdown(int fd, int how);

    /**
     * {@code read(2)} into {@code buffer[offset..offset+length)}: returns the bytes read, 0 at the end.
     *
     * @since 1.1
     */
    int read(int fd, byte[] buffer, int offset, int length);

    /**
     * {@code poll(2)}: waits until one of {@code fds} has one of {@code events} ({@link PollEvents}), at most
     * {@code timeoutMillis} (negative: no bound). Returns each fd's {@code revents}, all zero on timeout; an
     * interrupted wait throws with {@code EINTR}.
     *
     * @since 1.4
     */
    short[] poll(int[] fds, short events, int timeoutMillis);

    /**
     * {@code write(2)} of {@code buffer[offset..offset+length)}: returns the bytes written.
     *
     * @since 1.1
     */
    int write(int fd, byte[] buffer, int offset, int length);

    /**
     * {@code ioctl(2)} with an integer argument ({@code LOOP_CTL_GET_FREE}, {@code LOOP_SET_FD},
     * {@code LOOP_CLR_FD}): returns the call's non-negative result.
     *
     * @since 1.2
     */
    int ioctl(int fd, long request, long arg);

    /**
     * {@code ioctl(2)} with a pointer to {@code buffer}, which the kernel may read and write
     * ({@code LOOP_SET_STATUS64}, {@code BTRFS_IOC_SUBVOL_CREATE}): returns the call's non-negative result.
     *
     * @since 1.2
     */
    int ioctlBuffer(int fd, long request, byte[] buffer);

    /**
     * {@code ftruncate(2)}: sets the size of the open regular file {@code fd}; growing leaves a hole.
     *
     * @since 1.2
     */
    void ftruncate(int fd, long length);

    /**
     * The access and modification times of {@code path}, not following a final symlink ({@code statx(2)}).
     *
     * @since 1.4
     */
    FileTimes lstatTimes(String path);

    /**
     * {@code utimensat(2)} with {@code AT_SYMLINK_NOFOLLOW}: sets the access and modification times of
     * {@code path}, a symlink itself when it is one.
     *
     * @since 1.4
     */
    void lutimens(String path, FileTimes times);

    /**
     * {@code llistxattr(2)}: the names of the extended attributes of {@code path} (a symlink itself), in the
     * kernel's order; empty when the filesystem has none.
     *
     * @since 1.4
     */
    List<String> llistxattr(String path);

    /**
     * {@code lgetxattr(2)}: the value of extended attribute {@code name} of {@code path}.
     *
     * @since 1.4
     */
    byte[] lgetxattr(String path, String name);

    /**
     * {@code lsetxattr(2)}: sets extended attribute {@code name} of {@code path} to {@code value}.
     *
     * @since 1.4
     */
    void lsetxattr(String path, String name, byte[] value);

    /**
     * {@code link(2)}: a new hard link {@code newPath} to {@code oldPath}.
     *
     * @since 1.4
     */
    void link(String oldPath, String newPath);

    /**
     * {@code lseek(2)}: returns the new offset. {@code SEEK_DATA}/{@code SEEK_HOLE} past the last data fail
     * with {@code ENXIO}.
     *
     * @since 1.4
     */
    long lseek(int fd, long offset, int whence);

    /**
     * {@code copy_file_range(2)} of up to {@code length} bytes from {@code fdIn} at {@code offIn} to
     * {@code fdOut} at {@code offOut} (the fds' own offsets stay): returns the bytes copied, 0 at the end of
     * the input.
     *
     * @since 1.4
     */
    long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long length);

    /**
     * {@code bpf(BPF_PROG_LOAD)}: loads a program of {@code progType} ({@code BPF_PROG_TYPE_CGROUP_DEVICE} = 15)
     * with {@code expectedAttachType}; returns its fd. A program the verifier refuses fails with the first line
     * of the verifier's log in the message.
     *
     * @param instructions the program, 8 bytes per instruction in the host's byte order ({@code struct bpf_insn})
     * @param license      the program's license ({@code GPL})
     * @since 1.5
     */
    default int bpfProgLoad(int progType, byte[] instructions, String license, int expectedAttachType) {
        throw new SyscallException(Syscall.BPF_PROG_LOAD, Errno.ENOSYS, progType, instructions.length / 8, "");
    }

    /**
     * {@code bpf(BPF_PROG_ATTACH)}: attaches program {@code progFd} to {@code targetFd} (a cgroup directory) as
     * {@code attachType} ({@code BPF_CGROUP_DEVICE} = 6) with {@code flags} ({@code BPF_F_ALLOW_MULTI} = 2).
     *
     * @since 1.5
     */
    default void bpfProgAttach(int progFd, int targetFd, int attachType, int flags) {
        throw new SyscallException(Syscall.BPF_PROG_ATTACH, Errno.ENOSYS, progFd, targetFd);
    }

    /**
     * {@code bpf(BPF_PROG_DETACH)} of program {@code progFd} from {@code targetFd}.
     *
     * @since 1.5
     */
    default void bpfProgDetach(int progFd, int targetFd, int attachType) {
        throw new SyscallException(Syscall.BPF_PROG_DETACH, Errno.ENOSYS, progFd, targetFd);
    }
}
