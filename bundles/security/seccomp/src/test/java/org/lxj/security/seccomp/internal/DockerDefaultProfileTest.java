package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lxj.security.seccomp.internal.LibseccompCompilerTest.*;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.seccomp.SeccompRequest;
import org.lxj.spi.security.Capability;

/**
 * The built-in {@code docker-default} profile, flattened for containers with and without {@code CAP_SYS_ADMIN},
 * compiled and run through the Java interpreter against a table of (arch, syscall, arguments) and the action.
 */
class DockerDefaultProfileTest {

    static final String PROFILE = SeccompContributor.builtin(SeccompContributor.DOCKER_DEFAULT).orElseThrow();
    /** x86_64 numbers. */
    static final int OPENAT = 257, EXECVE = 59, CLONE = 56, CLONE3 = 435, UNSHARE = 272, SETNS = 308, MOUNT = 165,
            PIVOT_ROOT = 155, REBOOT = 169, SWAPON = 167, ADD_KEY = 248, KEYCTL = 250, IO_URING_SETUP = 425,
            PERSONALITY = 135, BPF = 321, SOCKETPAIR = 53, FCHMODAT2 = 452;
    /** i386 numbers. */
    static final int I386_CLONE = 120, I386_UNSHARE = 310, I386_MOUNT = 21, I386_READ = 3;
    static final long SIGCHLD = 17, CLONE_THREAD_FLAGS = 0x3D0F00L, CLONE_NEWNET = 0x40000000L,
            CLONE_NEWUSER = 0x10000000L, CLONE_NEWNS = 0x20000L;
    static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, AF_NETLINK = 16, AF_PACKET = 17, AF_ALG = 38,
            AF_VSOCK = 40, AF_MCTP = 45;
    static final int ENOSYS = 38;
    /** Docker's default capabilities: no CAP_SYS_ADMIN. */
    static final long DOCKER_CAPS = bits(Capability.CHOWN, Capability.DAC_OVERRIDE, Capability.FOWNER,
            Capability.FSETID, Capability.KILL, Capability.SETGID, Capability.SETUID, Capability.SETPCAP,
            Capability.NET_BIND_SERVICE, Capability.NET_RAW, Capability.SYS_CHROOT, Capability.MKNOD,
            Capability.AUDIT_WRITE, Capability.SETFCAP);

    static BpfInterpreter without;
    static BpfInterpreter with;

    static long bits(Capability... caps) {
        long m = 0;
        for (Capability c : caps) {
            m |= c.bit();
        }
        return m;
    }

    @BeforeAll
    static void compile() {
        LibseccompCompilerTest.needsLibseccomp();
        without = interpreter(DOCKER_CAPS);
        with = interpreter(DOCKER_CAPS | Capability.SYS_ADMIN.bit());
    }

    static BpfInterpreter interpreter(long caps) {
        LibseccompCompiler compiler = new LibseccompCompiler(new JnaSyscalls(), LibseccompCompilerTest.lib,
                "6.18.0-1-amd64");
        return new BpfInterpreter(compiler.compile(new SeccompRequest(PROFILE,
                Optional.of(Path.of(SeccompContributor.DOCKER_DEFAULT)), Arches.withCompat("x86_64"), caps, false))
                .program().filter());
    }

    @Test
    void theProfileIsADockerProfileWithAnEpermDefault() {
        Policy p = OciPolicyParser.parse(PROFILE, Optional.empty(), new DockerTarget("x86_64", DOCKER_CAPS, "6.18.0"));
        assertEquals(Action.errno(1), p.defaultAction());
        assertEquals(java.util.Set.of("x86_64", "i386", "x32"), p.architectures());
        assertTrue(p.rules().size() > 300, "an allowlist of ordinary syscalls: " + p.rules().size());
        assertTrue(SeccompContributor.builtin("/etc/docker-default").isEmpty(), "a path is not a built-in name");
        assertTrue(SeccompContributor.builtin("common").isEmpty(), "only the built-in names");
    }

    @Test
    void ordinarySyscallsAreAllowed() {
        for (BpfInterpreter f : List.of(without, with)) {
            for (int nr : new int[] {READ, WRITE, CLOSE, OPENAT, EXECVE, GETPID, UNAME, KILL, MKDIR, SOCKETPAIR}) {
                assertEquals(Action.ALLOW, f.run(X86_64, nr), "x86_64 syscall " + nr);
            }
            assertEquals(Action.ALLOW, f.run(I386, I386_READ), "the compat architecture");
            assertEquals(Action.ALLOW, f.run(X86_64, READ | X32_BIT), "x32 is a sub-architecture");
            assertEquals(Action.ALLOW, f.run(X86_64, PTRACE), "ptrace from kernel 4.8");
            assertEquals(Action.ALLOW, f.run(X86_64, PERSONALITY, 0xffffffffL), "the personality query");
            assertEquals(Action.errno(1), f.run(X86_64, PERSONALITY, 0x0400000L), "READ_IMPLIES_EXEC");
            assertEquals(Action.errno(ENOSYS), f.run(X86_64, FCHMODAT2 + 100), "newer than libseccomp's table");
            assertEquals(Action.KILL_PROCESS, f.run(AARCH64, READ), "a foreign architecture");
        }
    }

    @Test
    void socketFamiliesButAlgAndVsock() {
        for (BpfInterpreter f : List.of(without, with)) {
            for (int af : new int[] {AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, 39, 41, AF_MCTP}) {
                assertEquals(Action.ALLOW, f.run(X86_64, SOCKET, af), "family " + af);
                assertEquals(Action.ALLOW, f.run(I386, I386_SOCKET, af), "i386 family " + af);
            }
            for (int af : new int[] {AF_ALG, AF_VSOCK}) {
                assertEquals(Action.errno(1), f.run(X86_64, SOCKET, af), "family " + af);
                assertEquals(Action.errno(1), f.run(X86_64, SOCKET, 0x100000000L | af),
                        "the kernel reads an int: upper bits do not hide family " + af);
                assertEquals(Action.errno(1), f.run(I386, I386_SOCKET, af), "i386 family " + af);
            }
        }
    }

    @Test
    void namespacesAndMountsNeedCapSysAdmin() {
        assertEquals(Action.ALLOW, without.run(X86_64, CLONE, SIGCHLD), "fork");
        assertEquals(Action.ALLOW, without.run(X86_64, CLONE, CLONE_THREAD_FLAGS), "pthread_create");
        for (long ns : new long[] {CLONE_NEWNET, CLONE_NEWUSER, CLONE_NEWNS}) {
            assertEquals(Action.errno(1), without.run(X86_64, CLONE, SIGCHLD | ns), "clone with " + ns);
            assertEquals(Action.errno(1), without.run(I386, I386_CLONE, SIGCHLD | ns), "i386 clone with " + ns);
            assertEquals(Action.ALLOW, with.run(X86_64, CLONE, SIGCHLD | ns), "clone with " + ns);
        }
        assertEquals(Action.errno(ENOSYS), without.run(X86_64, CLONE3), "clone3: ENOSYS, so libc uses clone");
        assertEquals(Action.ALLOW, with.run(X86_64, CLONE3));
        for (int nr : new int[] {UNSHARE, SETNS, MOUNT, UMOUNT2, PIVOT_ROOT}) {
            assertEquals(Action.errno(1), without.run(X86_64, nr, CLONE_NEWNET), "syscall " + nr);
            assertEquals(Action.ALLOW, with.run(X86_64, nr, CLONE_NEWNET), "syscall " + nr);
        }
        assertEquals(Action.errno(1), without.run(I386, I386_UNSHARE, CLONE_NEWNET));
        assertEquals(Action.errno(1), without.run(I386, I386_MOUNT));
        assertEquals(Action.ALLOW, with.run(I386, I386_MOUNT));
    }

    @Test
    void hostWideSyscallsStayDeniedEvenWithCapSysAdmin() {
        for (int nr : new int[] {INIT_MODULE, FINIT_MODULE, DELETE_MODULE, KEXEC_LOAD, REBOOT, SWAPON, ADD_KEY, KEYCTL,
                IO_URING_SETUP, OPEN_BY_HANDLE_AT}) {
            assertEquals(Action.errno(1), with.run(X86_64, nr), "syscall " + nr);
        }
        assertEquals(Action.ALLOW, with.run(X86_64, BPF), "bpf with CAP_SYS_ADMIN");
        assertEquals(Action.errno(1), without.run(X86_64, BPF));
        assertEquals(Action.ALLOW, interpreter(-1L).run(X86_64, REBOOT), "every capability: reboot as Docker's");
    }
}
