package org.lxj.launcher.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;

/**
 * The few libc calls the launcher's spawn needs (socketpair, posix_spawn with file actions, waitpid,
 * read/write on the control socket, pidfd signals for attached commands).
 * <p>
 * Why this binding is package-private here and not in org.lxj.linux: {@code posix_spawn} with file actions
 * ({@code adddup2}, {@code addclosefrom_np}) and {@code socketpair(SOCK_SEQPACKET)} are not offered by
 * {@code org.lxj.linux}'s Syscalls yet, and this bundle is the only user. The lead may move it there
 * later; nothing outside this package depends on it.
 */
interface LibC extends Library {
    int AF_UNIX = 1;
    int SOCK_SEQPACKET = 5;
    int SOCK_CLOEXEC = 02000000;
    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_RDWR = 2;
    int O_CREAT = 0100;
    int O_APPEND = 02000;
    int O_CLOEXEC = 02000000;
    short POLLIN = 1;
    short POSIX_SPAWN_SETSIGDEF = 0x04;
    short POSIX_SPAWN_SETSIGMASK = 0x08;
    int SHUT_WR = 1;
    int SOL_SOCKET = 1;
    int SCM_RIGHTS = 1;
    int MSG_NOSIGNAL = 0x4000;
    int EINTR = 4;
    /** Sizes generous for glibc x86_64/aarch64 (posix_spawn_file_actions_t 80, posix_spawnattr_t 336, sigset_t 128). */
    int FILE_ACTIONS_SIZE = 256;
    int SPAWNATTR_SIZE = 1024;
    int SIGSET_SIZE = 128;

    LibC INSTANCE = Native.load("c", LibC.class);

    int F_DUPFD_CLOEXEC = 1030;
    int F_ADD_SEALS = 1033;
    int F_GET_SEALS = 1034;
    int F_SEAL_SEAL = 1;
    int F_SEAL_SHRINK = 2;
    int F_SEAL_GROW = 4;
    int F_SEAL_WRITE = 8;
    int F_SEAL_EXEC = 0x20;
    int MFD_CLOEXEC = 1;
    int MFD_ALLOW_SEALING = 2;
    int MFD_EXEC = 0x10;
    int EINVAL = 22;
    long SYS_PIDFD_OPEN = 434;
    long SYS_PIDFD_SEND_SIGNAL = 424;

    int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    long syscall(long number, Object... args) throws LastErrorException;

    int memfd_create(String name, int flags) throws LastErrorException;

    int getpid();

    int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    long read(int fd, byte[] buf, long count) throws LastErrorException;

    long write(int fd, byte[] buf, long count) throws LastErrorException;

    /** {@code sendmsg(2)}: here only for SCM_RIGHTS (a spare launcher's stdio with its plan). */
    long sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    int poll(byte[] fds, long nfds, int timeoutMillis) throws LastErrorException;

    int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    String strerrorname_np(int errnum);

    // posix_spawn returns an errno value instead of setting errno.
    int posix_spawn_file_actions_init(Pointer actions);

    int posix_spawn_file_actions_adddup2(Pointer actions, int fd, int newfd);

    int posix_spawn_file_actions_addclosefrom_np(Pointer actions, int from);

    int posix_spawn_file_actions_destroy(Pointer actions);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer mask);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer signals);

    int posix_spawnattr_destroy(Pointer attr);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    int posix_spawn(IntByReference pid, String path, Pointer actions, Pointer attr, StringArray argv, StringArray envp);
}
