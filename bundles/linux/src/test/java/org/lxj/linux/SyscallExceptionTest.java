package org.lxj.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.lxj.api.LxjException;

class SyscallExceptionTest {

    @Test
    void errnoNumbersMapBothWays() {
        assertEquals(Optional.of(Errno.EPERM), Errno.of(1));
        assertEquals(Optional.of(Errno.ENOENT), Errno.of(2));
        assertEquals(Optional.of(Errno.EAGAIN), Errno.of(11));
        assertEquals(Optional.of(Errno.EOPNOTSUPP), Errno.of(95));
        assertEquals(Optional.of(Errno.EHWPOISON), Errno.of(133));
        assertEquals(Optional.empty(), Errno.of(0));
        assertEquals(Optional.empty(), Errno.of(41));
        assertEquals(Optional.empty(), Errno.of(4242));
        Set<Integer> seen = new HashSet<>();
        for (Errno e : Errno.values()) {
            assertTrue(seen.add(e.number()), e + " repeats a number");
            assertEquals(Optional.of(e), Errno.of(e.number()));
        }
    }

    @Test
    void errnoDescribesItselfAsStrerror() {
        assertEquals("EPERM (Operation not permitted)", Errno.EPERM.describe());
        assertEquals("ENOSYS (Function not implemented)", Errno.describe(38));
        assertEquals("errno 4242", Errno.describe(4242));
    }

    @Test
    void mountFailureReadsLikeLxc() {
        SyscallException e = new SyscallException(Syscall.MOUNT, 1, "proc", "/proc", "proc", 0L, null);
        assertEquals("Failed to mount \"proc\" on \"/proc\": EPERM (Operation not permitted)", e.getMessage());
        assertEquals(Syscall.MOUNT, e.call());
        assertEquals("/proc", e.argument());
        assertEquals(Optional.of(Errno.EPERM), e.errno());
        assertTrue(e.is(Errno.EPERM));
        assertTrue(e instanceof LxjException);
        assertEquals(1, e.exitStatus());
    }

    @Test
    void argumentsAreFormattedPerCall() {
        assertEquals("Failed to mount \"none\" on \"/sys/fs/cgroup\": EBUSY (Device or resource busy)",
                new SyscallException(Syscall.MOUNT, Errno.EBUSY, null, "/sys/fs/cgroup", "tmpfs", 0L, null)
                        .getMessage());
        assertEquals("Failed to change mode of \"/x\" to 0755: EROFS (Read-only file system)",
                new SyscallException(Syscall.CHMOD, Errno.EROFS, "/x", 0755).getMessage());
        assertEquals("Failed to unshare namespaces 0x10000000: EINVAL (Invalid argument)",
                new SyscallException(Syscall.UNSHARE, Errno.EINVAL, CloneFlags.CLONE_NEWUSER).getMessage());
        assertEquals("Failed to send signal 15 to pid 77: ESRCH (No such process)",
                new SyscallException(Syscall.KILL, Errno.ESRCH, 77, 15).getMessage());
        assertEquals("Failed to remove \"/a/b\": EISDIR (Is a directory)",
                new SyscallException(Syscall.UNLINKAT, Errno.EISDIR, OpenFlags.AT_FDCWD, "/a/b", 0).getMessage());
        SyscallException link = new SyscallException(Syscall.SYMLINK, Errno.EEXIST, "../t", "/l");
        assertEquals("Failed to create symlink \"/l\" to \"../t\": EEXIST (File exists)", link.getMessage());
        assertEquals("/l", link.argument());
        assertEquals("Failed to close fd 9: errno 4242",
                new SyscallException(Syscall.CLOSE, 4242, 9).getMessage());
    }

    @Test
    void devicesEncodeAsGlibcMakedev() {
        long dev = Stat.makedev(1, 3);
        assertEquals(0x103L, dev);
        assertEquals(1, Stat.major(dev));
        assertEquals(3, Stat.minor(dev));
        long big = Stat.makedev(259, 65536 + 7);
        assertEquals(259, Stat.major(big));
        assertEquals(65536 + 7, Stat.minor(big));
    }
}
