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
}
