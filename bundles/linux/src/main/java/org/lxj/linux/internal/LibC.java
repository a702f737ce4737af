package org.lxj.linux.internal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * glibc as JNA maps it. Every call that can fail declares {@link LastErrorException} so JNA reads errno
 * on the native side right after the call, before any other code can change it.
 */
public interface LibC extends Library {

    int getuid();

    int geteuid();

    int getpid();

    int uname(byte[] buf) throws LastErrorException;

    int mkdir(String path, int mode) throws LastErrorException;

    int mkdirat(int dirfd, String path, int mode) throws LastErrorException;

    int open(String path, int flags, int mode) throws LastErrorException;

    int openat(int dirfd, String path, int flags, int mode) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int statx(int dirfd, String path, int flags, int mask, byte[] buf) throws LastErrorException;

    int mount(String source, String target, String fstype, NativeLong flags, String data)
            throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int statfs(String path, byte[] buf) throws LastErrorException;

    int kill(int pid, int sig) throws LastErrorException;

    int flock(int fd, int operation) throws LastErrorException;

    int unshare(int flags) throws LastErrorException;

    int setns(int fd, int nstype) throws LastErrorException;

    int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5)
            throws LastErrorException;

    NativeLong readlink(String path, byte[] buf, NativeLong size) throws LastErrorException;

    int unlinkat(int dirfd, String path, int flags) throws LastErrorException;

    int rmdir(String path) throws LastErrorException;

    int chown(String path, int uid, int gid) throws LastErrorException;

    int lchown(String path, int uid, int gid) throws LastErrorException;

    int chmod(String path, int mode) throws LastErrorException;

    int symlink(String target, String linkPath) throws LastErrorException;

    int mknod(String path, int mode, long dev) throws LastErrorException;

    int sethostname(byte[] name, NativeLong len) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    int bind(int fd, byte[] addr, int addrlen) throws LastErrorException;

    int connect(int fd, byte[] addr, int addrlen) throws LastErrorException;

    int listen(int fd, int backlog) throws LastErrorException;

    int accept4(int fd, Pointer addr, Pointer addrlen, int flags) throws LastErrorException;

    int getsockopt(int fd, int level, int optname, byte[] optval, int[] optlen) throws LastErrorException;

    NativeLong sendmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    NativeLong recvmsg(int fd, Pointer msg, int flags) throws LastErrorException;

    int shutdown(int fd, int how) throws LastErrorException;

    NativeLong read(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    /** {@code poll(2)}; {@code fds} holds {@code struct pollfd} entries of 8 bytes each. */
    int poll(byte[] fds, NativeLong nfds, int timeout) throws LastErrorException;

    NativeLong write(int fd, byte[] buf, NativeLong count) throws LastErrorException;

    /** glibc's {@code syscall(2)}; every argument must be passed as a {@link NativeLong} or a pointer. */
    NativeLong syscall(NativeLong number, Object... args) throws LastErrorException;

    int ioctl(int fd, NativeLong request, NativeLong arg) throws LastErrorException;

    int ioctl(int fd, NativeLong request, byte[] buffer) throws LastErrorException;

    int ftruncate(int fd, long length) throws LastErrorException;

    int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

    NativeLong llistxattr(String path, byte[] list, NativeLong size) throws LastErrorException;

    NativeLong lgetxattr(String path, String name, byte[] value, NativeLong size) throws LastErrorException;

    int lsetxattr(String path, String name, byte[] value, NativeLong size, int flags) throws LastErrorException;

    int link(String oldPath, String newPath) throws LastErrorException;

    long lseek(int fd, long offset, int whence) throws LastErrorException;

    NativeLong copy_file_range(int fdIn, long[] offIn, int fdOut, long[] offOut, NativeLong len, int flags)
            throws LastErrorException;
}
