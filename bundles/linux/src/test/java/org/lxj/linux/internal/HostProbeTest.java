package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Errno;
import org.lxj.linux.Syscall;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

class HostProbeTest {

    @TempDir
    Path tmp;

    @Test
    void factsOfTheCapturedHybridHost() {
        HostFacts f = FakeHost.hybrid(tmp).probe().probe();
        assertEquals(FakeHost.RELEASE, f.kernelRelease());
        assertEquals("x86_64", f.architecture());
        assertTrue(f.supportsFilesystem("overlay"));
        assertTrue(f.supportsFilesystem("btrfs"));
        assertTrue(f.supportsFilesystem("tmpfs"));
        assertFalse(f.supportsFilesystem("nodev"));
        assertEquals(List.of("lockdown", "capability", "landlock", "bpf"), f.lsms());
        assertEquals(CgroupLayout.HYBRID, f.cgroupLayout());
        assertEquals(10, f.cgroups().size());
        assertTrue(f.userNamespaces());
        assertEquals(Set.of("kill_process", "kill_thread", "trap", "errno", "user_notif", "trace", "log", "allow"),
                f.seccompActions());
        assertEquals(7, f.landlockAbi());
    }

    @Test
    void securityfsWinsOverTheSyscall() {
        FakeHost host = FakeHost.hybrid(tmp).file("/sys/kernel/security/lsm", "capability,yama,apparmor\n");
        assertEquals(List.of("capability", "yama", "apparmor"), host.probe().lsms());
    }

    @Test
    void olderKernelsDegradeToEmptyAnswers() {
        FakeHost host = FakeHost.hybrid(tmp).delete("/proc/sys/kernel/seccomp/actions_avail")
                .file("/proc/sys/user/max_user_namespaces", "0\n");
        host.sys.fail(Syscall.LSM_LIST_MODULES, Errno.ENOSYS).fail(Syscall.LANDLOCK_CREATE_RULESET, Errno.EOPNOTSUPP);
        HostFacts f = host.probe().probe();
        assertEquals(List.of(), f.lsms());
        assertEquals(0, f.landlockAbi());
        assertEquals(Set.of(), f.seccompActions());
        assertFalse(f.userNamespaces());
    }
}
