package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.security.seccomp.internal.SecurityProbeFixture.Result;

/**
 * Real containers (root, real kernel, the real launcher) on a busybox rootfs, started through core's
 * {@code execute} with this bundle's contributor installed: the compiled filter is enforced inside.
 */
class SeccompRootTest {

    static SecurityProbeFixture fixture;

    SecurityProbeFixture.Containers containers;

    @BeforeAll
    static void rootBusyboxAndLibseccomp() throws IOException {
        fixture = SecurityProbeFixture.open(SecurityProbeFixture.assumeRootBusyboxX86(
                "the host facts below are x86_64's"), "lxj-seccomp-root-");
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        containers = fixture.containers("lxj-seccomp-test-", fixture.seccomp());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (containers != null) {
            containers.close();
        }
    }

    Result execute(String name, String policy, String script) throws IOException {
        Path profile = containers.write(name, "policy.seccomp", policy);
        return containers.execute(name, "lxc.seccomp.profile = " + profile + "\n", script);
    }

    @Test
    void denylistRefusesMkdirWithEpermWhileTouchWorks() throws IOException {
        Result r = execute("deny", "2\ndenylist\n[all]\nmkdir errno 1\n",
                "mkdir /tmp/x; echo mkdir=$?; touch /tmp/y; echo touch=$?; test -d /tmp/x; echo exists=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("mkdir=1\ntouch=0\nexists=1\n", r.out(), r.err());
        assertTrue(r.err().contains("Operation not permitted"), r.err());
    }

    @Test
    void dockerProfileIsFlattenedAndEnforced() throws IOException {
        String docker = """
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
                  "syscalls": [
                    {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                    {"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                     "excludes": {"caps": ["CAP_SYS_ADMIN"]}}
                  ]
                }
                """;
        Path gone = Files.createDirectories(fixture.rootfs.resolve("tmp/docker-rmdir-" + UUID.randomUUID()));
        Result r = execute("docker", docker, "mkdir /tmp/x; echo mkdir=$?; touch /tmp/y; echo touch=$?; "
                + "rmdir /tmp/" + gone.getFileName() + "; echo rmdir=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("mkdir=1\ntouch=0\nrmdir=0\n", r.out(), "rmdir is left out for a container with CAP_SYS_ADMIN; "
                + "stderr: " + r.err());
        assertTrue(r.err().contains("Operation not permitted"), r.err());
    }

    @Test
    void rejectForceUmountGivesEaccesOnlyForMntForce() throws IOException {
        Result r = execute("umount", "2\ndenylist\nreject_force_umount\n",
                "mount -t tmpfs none /mnt && umount -f /mnt; echo force=$?; umount -l /mnt; echo lazy=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("force=1\nlazy=0\n", r.out(), r.err());
        assertTrue(r.err().contains("Permission denied"), r.err());
    }

    @Test
    void trapDeliversSigsys() throws IOException {
        Result r = execute("trap", "2\ndenylist trap\nmkdir\n", "mkdir /tmp/z; echo status=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("status=159\n", r.out(), "128 + SIGSYS (31); stderr: " + r.err());
    }

    /** What the launcher after the filter, busybox's sh and its applets need; {@code mkdir} is not listed. */
    static final String ALLOWED = String.join("\n", List.of("read", "write", "open", "openat", "close",
            "close_range", "stat", "fstat", "lstat", "newfstatat", "statx", "poll", "ppoll", "lseek", "mmap",
            "mprotect", "munmap", "madvise", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend",
            "rt_sigtimedwait", "ioctl", "pread64", "readv", "writev", "access", "faccessat", "faccessat2", "pipe",
            "pipe2", "dup", "dup2", "dup3", "getpid", "getppid", "gettid", "sendmsg", "recvmsg", "sendto", "recvfrom",
            "clone", "clone3", "fork", "vfork", "execve", "exit", "exit_group", "wait4", "waitid", "kill", "tgkill",
            "uname", "fcntl",
            "getdents64", "getcwd", "chdir", "fchdir", "readlink", "readlinkat", "umask", "getrlimit",
            "prlimit64", "setrlimit", "getuid", "getgid", "geteuid", "getegid", "getgroups", "setgroups",
            "setresuid", "setresgid", "setuid", "setgid", "getpgrp", "setpgid", "getpgid", "setsid", "capget",
            "capset", "prctl", "arch_prctl", "set_tid_address", "set_robust_list", "futex", "sigaltstack",
            "clock_gettime", "gettimeofday", "time", "nanosleep", "clock_nanosleep", "getrandom", "rseq",
            "sysinfo", "times", "utimensat", "unlink", "unlinkat", "rmdir", "creat"));

    @Test
    void allowlistTrapDeliversSigsysForAnUnlistedSyscall() throws IOException {
        Result r = execute("allow", "2\nallowlist trap\n[all]\n" + ALLOWED + "\n",
                "touch /tmp/t; echo touch=$?; mkdir /tmp/q; echo mkdir=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("touch=0\nmkdir=159\n", r.out(), "128 + SIGSYS (31); stderr: " + r.err());
    }
}
