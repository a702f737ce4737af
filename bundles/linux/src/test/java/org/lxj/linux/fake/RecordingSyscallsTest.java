package org.lxj.linux.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lxj.linux.Errno;
import org.lxj.linux.MountFlags;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscall;
import org.lxj.linux.SyscallException;

class RecordingSyscallsTest {

    private final RecordingSyscalls sys = new RecordingSyscalls();

    @Test
    void recordsCallsWithTheirArgumentsInOrder() {
        sys.mount("proc", "/proc", "proc", MountFlags.MS_NOSUID, null);
        sys.sethostname("web");
        int fd = sys.open("/etc/hostname", 0, 0);
        sys.close(fd);
        assertEquals(List.of(Syscall.MOUNT, Syscall.SETHOSTNAME, Syscall.OPEN, Syscall.CLOSE),
                sys.calls().stream().map(SyscallCall::syscall).toList());
        assertEquals("mount(\"proc\", \"/proc\", \"proc\", 2, null)", sys.calls().get(0).toString());
        assertEquals(3, fd);
        assertEquals(List.of(3), sys.calls(Syscall.CLOSE).get(0).args());
        sys.clearCalls();
        assertEquals(List.of(), sys.calls());
    }

    @Test
    void scriptedFailuresCarryTheRealMessage() {
        sys.fail(Syscall.MOUNT, Errno.EPERM);
        SyscallException e = assertThrows(SyscallException.class,
                () -> sys.mount("proc", "/proc", "proc", 0, null));
        assertEquals("Failed to mount \"proc\" on \"/proc\": EPERM (Operation not permitted)", e.getMessage());
        assertEquals(1, sys.calls(Syscall.MOUNT).size());
    }

    @Test
    void oneShotAndPerPathFailures() {
        sys.failOnce(Syscall.MKDIR, Errno.EEXIST);
        assertThrows(SyscallException.class, () -> sys.mkdir("/a", 0755));
        sys.mkdir("/a", 0755);
        sys.failOn(Syscall.UMOUNT2, "/sys", Errno.EBUSY);
        sys.umount2("/proc", 0);
        SyscallException e = assertThrows(SyscallException.class, () -> sys.umount2("/sys", 0));
        assertEquals(Errno.EBUSY.number(), e.errnoNumber());
    }

    @Test
    void lookUpsAnswerFromTheScriptOrFail() {
        Stat dir = new Stat(0x801, 2, Stat.S_IFDIR | 0755, 0, 0, 3, 0, 4096);
        sys.withStat("/var/lib/lxj", dir);
        assertEquals(dir, sys.lstat("/var/lib/lxj"));
        SyscallException e = assertThrows(SyscallException.class, () -> sys.lstat("/nope"));
        assertEquals("Failed to stat \"/nope\": ENOENT (No such file or directory)", e.getMessage());
        assertThrows(SyscallException.class, sys::landlockAbiVersion);
        sys.answer(Syscall.LANDLOCK_CREATE_RULESET, 7);
        assertEquals(7, sys.landlockAbiVersion());
        sys.answer(Syscall.GETUID, 1000);
        assertEquals(1000, sys.getuid());
        assertEquals(0, sys.geteuid());
    }

    @Test
    void generalRulesSeeTheCall() {
        sys.on(Syscall.STATFS, c -> c.arg(0).equals("/sys/fs/cgroup"), c -> 0x63677270L);
        assertEquals(0x63677270L, sys.statfs("/sys/fs/cgroup"));
        assertThrows(SyscallException.class, () -> sys.statfs("/other"));
    }
}
