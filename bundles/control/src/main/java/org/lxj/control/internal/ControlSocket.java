package org.lxj.control.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.lxj.linux.Errno;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.Stat;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;

/**
 * The listening control socket: a SOCK_SEQPACKET Unix socket at a path, mode 0600, in a directory made 0700
 * when the runtime creates it. A stale socket left by a runtime that died is replaced; a live one (another
 * runtime answers on it) is not.
 */
final class ControlSocket implements AutoCloseable {
    private static final int BACKLOG = 64;

    private final Syscalls sys;
    private final Path path;
    private final int fd;
    private final long inode;

    private ControlSocket(Syscalls sys, Path path, int fd, long inode) {
        this.sys = sys;
        this.path = path;
        this.fd = fd;
        this.inode = inode;
    }

    /** Binds and listens at {@code path}. */
    static ControlSocket listen(Syscalls sys, Path path) throws ControlException {
        prepareDirectory(path.getParent());
        removeStale(sys, path);
        int fd = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0);
        try {
            sys.bind(fd, path.toString());
            sys.chmod(path.toString(), 0600);
            sys.listen(fd, BACKLOG);
            return new ControlSocket(sys, path, fd, sys.lstat(path.toString()).ino());
        } catch (SyscallException e) {
            sys.close(fd);
            throw new ControlException("Failed to listen on \"" + path + "\": " + e.getMessage(), e);
        }
    }

    private static void prepareDirectory(Path dir) throws ControlException {
        if (dir == null || Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new ControlException("Failed to create the directory \"" + dir + "\": " + e.getMessage(), e);
        }
    }

    private static void removeStale(Syscalls sys, Path path) throws ControlException {
        Stat st;
        try {
            st = sys.lstat(path.toString());
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return;
            }
            throw new ControlException("Failed to check \"" + path + "\": " + e.getMessage(), e);
        }
        if ((st.mode() & Stat.S_IFMT) != Stat.S_IFSOCK) {
            throw new ControlException("Refusing to replace \"" + path + "\": it is not a socket");
        }
        int probe = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0);
        try {
            sys.connect(probe, path.toString());
            throw new ControlException("Another runtime is already listening on \"" + path + "\"");
        } catch (SyscallException e) {
            // nobody answers: a runtime that died left it
        } finally {
            sys.close(probe);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new ControlException("Failed to remove the stale socket \"" + path + "\": " + e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** Waits for the next connection; fails once the socket is closed. */
    int accept() {
        return sys.accept(fd, SocketFlags.SOCK_CLOEXEC);
    }

    /** Wakes a blocked {@link #accept}, which then fails. */
    void shutdown() {
        try {
            sys.shutdown(fd, SocketFlags.SHUT_RDWR);
        } catch (SyscallException e) {
            // not connected or already shut: accept fails anyway once closed
        }
    }

    /** Closes the socket and removes its path if it is still this socket. */
    @Override
    public void close() {
        try {
            sys.close(fd);
        } catch (SyscallException e) {
            // nothing more to release
        }
        try {
            if (sys.lstat(path.toString()).ino() == inode) {
                Files.deleteIfExists(path);
            }
        } catch (SyscallException | IOException e) {
            // gone already, or replaced by another runtime's socket: leave it
        }
    }
}
