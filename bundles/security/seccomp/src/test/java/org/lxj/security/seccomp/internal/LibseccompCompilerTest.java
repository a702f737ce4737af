package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.launch.SeccompFilterFlag;
import org.lxj.spi.seccomp.CompiledFilter;
import org.lxj.spi.seccomp.SeccompRequest;

/**
 * Filters compiled by libseccomp, each run through the Java interpreter against a table of (arch, syscall,
 * arguments) and the action expected. Syscall numbers are the kernel ABI's (x86_64 and i386 tables).
 */
class LibseccompCompilerTest {

    static final int X86_64 = 0xC000003E;
    static final int I386 = 0x40000003;
    static final int AARCH64 = 0xC00000B7;
    static final int X32_BIT = 0x40000000;
    // x86_64
    static final int READ = 0, WRITE = 1, CLOSE = 3, KILL = 62, UNAME = 63, GETPID = 39, SOCKET = 41,
            MKDIR = 83, PTRACE = 101, MKNOD = 133, UMOUNT2 = 166, INIT_MODULE = 175, KEXEC_LOAD = 246,
            FINIT_MODULE = 313, DELETE_MODULE = 176, OPEN_BY_HANDLE_AT = 304;
    // i386
    static final int I386_MKDIR = 39, I386_GETPID = 20, I386_CLOSE = 6, I386_KEXEC_LOAD = 283, I386_SOCKET = 359;

    static Optional<LibSeccomp> lib;

    LibseccompCompiler compiler;

    @BeforeAll
    static void needsLibseccomp() {
        assumeTrue("x86_64".equals(System.getProperty("os.arch")) || "amd64".equals(System.getProperty("os.arch")),
                "the syscall tables in this test are x86_64's");
        try {
            lib = Optional.of(LibSeccomp.load());
        } catch (UnsatisfiedLinkError e) {
            lib = Optional.empty();
        }
        assumeTrue(lib.isPresent(), "needs libseccomp.so.2 (Debian libseccomp2)");
    }

    @BeforeEach
    void setUp() {
        compiler = new LibseccompCompiler(new JnaSyscalls(), lib);
    }

    CompiledFilter compiled(String policy, String... arches) {
        return compiler.compile(new SeccompRequest(policy, Optional.empty(),
                arches.length == 0 ? List.of("x86_64", "i386") : List.of(arches), -1L, false));
    }

    BpfInterpreter bpf(String policy, String... arches) {
        return new BpfInterpreter(compiled(policy, arches).program().filter());
    }

    @Test
    void lxcCommonDenylist() {
        BpfInterpreter f = bpf("2\ndenylist\nreject_force_umount\n[all]\nkexec_load errno 1\n"
                + "open_by_handle_at errno 1\ninit_module errno 1\nfinit_module errno 1\ndelete_module errno 1\n");
        for (int nr : new int[] {KEXEC_LOAD, OPEN_BY_HANDLE_AT, INIT_MODULE, FINIT_MODULE, DELETE_MODULE}) {
            assertEquals(Action.errno(1), f.run(X86_64, nr), "syscall " + nr);
        }
        assertEquals(Action.errno(1), f.run(I386, I386_KEXEC_LOAD), "[all] covers the compat arch");
        assertEquals(Action.errno(13), f.run(X86_64, UMOUNT2, 0, 1), "umount -f");
        assertEquals(Action.errno(13), f.run(X86_64, UMOUNT2, 0, 3), "MNT_FORCE|MNT_DETACH");
        assertEquals(Action.ALLOW, f.run(X86_64, UMOUNT2, 0, 2), "umount -l");
        assertEquals(Action.ALLOW, f.run(X86_64, MKDIR));
        assertEquals(Action.ALLOW, f.run(I386, I386_MKDIR));
        assertEquals(Action.KILL_PROCESS, f.run(AARCH64, MKDIR), "foreign arch");
        assertEquals(Action.KILL_PROCESS, f.run(X86_64, GETPID | X32_BIT), "x32 is not requested");
        assertEquals(Action.ALLOW, f.run(X86_64, 1000), "a denylist allows what its tables do not know");
    }

    @Test
    void allowlistWithErrnoDefaultAndEnosysForUnknownNumbers() {
        BpfInterpreter f = bpf("2\nallowlist errno 1\nread\nwrite\nclose\n");
        assertEquals(Action.ALLOW, f.run(X86_64, READ));
        assertEquals(Action.ALLOW, f.run(X86_64, WRITE));
        assertEquals(Action.ALLOW, f.run(I386, I386_CLOSE));
        assertEquals(Action.errno(1), f.run(X86_64, MKDIR));
        assertEquals(Action.errno(1), f.run(I386, I386_GETPID));
        assertEquals(Action.errno(38), f.run(X86_64, 1000), "newer than the tables: ENOSYS");
        assertEquals(Action.KILL_PROCESS, f.run(X86_64, READ | X32_BIT));
        assertEquals(Action.KILL_PROCESS, f.run(AARCH64, READ));
    }

    @Test
    void allowlistTrapAndPerArchSections() {
        BpfInterpreter f = bpf("2\nallowlist trap\n[x86_64]\nread\nmkdir\n[x86]\nclose\n");
        assertEquals(Action.ALLOW, f.run(X86_64, READ));
        assertEquals(Action.ALLOW, f.run(X86_64, MKDIR));
        assertEquals(Action.TRAP, f.run(X86_64, CLOSE), "close is allowed on x86 only");
        assertEquals(Action.ALLOW, f.run(I386, I386_CLOSE));
        assertEquals(Action.TRAP, f.run(I386, I386_MKDIR), "mkdir is allowed on x86_64 only");
    }

    @Test
    void argumentFiltersBlockOnlyTheMatchingValue() {
        BpfInterpreter f = bpf("2\ndenylist\nsocket errno 1 [0,40,SCMP_CMP_EQ]\n"
                + "mknod errno 13 [1,8192,SCMP_CMP_MASKED_EQ,61440]\n"
                + "kill errno 3 [0,100,SCMP_CMP_GT] [1,9,SCMP_CMP_EQ]\n");
        assertEquals(Action.errno(1), f.run(X86_64, SOCKET, 40));
        assertEquals(Action.ALLOW, f.run(X86_64, SOCKET, 2));
        assertEquals(Action.ALLOW, f.run(X86_64, SOCKET, 10));
        assertEquals(Action.ALLOW, f.run(X86_64, SOCKET, 40L | (1L << 32)), "64-bit compare");
        assertEquals(Action.errno(1), f.run(I386, I386_SOCKET, 40), "[all] covers i386's direct socket call");
        assertEquals(Action.ALLOW, f.run(I386, I386_SOCKET, 2));
        assertEquals(Action.errno(13), f.run(X86_64, MKNOD, 0, 0x2000 | 0644), "S_IFCHR");
        assertEquals(Action.ALLOW, f.run(X86_64, MKNOD, 0, 0x8000 | 0644), "S_IFREG");
        assertEquals(Action.errno(3), f.run(X86_64, KILL, 101, 9));
        assertEquals(Action.ALLOW, f.run(X86_64, KILL, 100, 9), "both conditions must hold");
        assertEquals(Action.ALLOW, f.run(X86_64, KILL, 101, 15));
    }

    @Test
    void everyActionReachesTheProgram() {
        BpfInterpreter f = bpf("2\ndenylist\nptrace kill\nkill trap\nuname log\nmkdir errno 17\n", "x86_64");
        assertEquals(Action.KILL_PROCESS, f.run(X86_64, PTRACE));
        assertEquals(Action.TRAP, f.run(X86_64, KILL));
        assertEquals(Action.LOG, f.run(X86_64, UNAME));
        assertEquals(Action.errno(17), f.run(X86_64, MKDIR));
        assertEquals(Action.KILL_PROCESS, f.run(I386, I386_MKDIR), "i386 is not requested");
    }

    @Test
    void ociProfileCompiles() {
        CompiledFilter c = compiled(OciPolicyParserTest.PROFILE);
        assertEquals(Set.of(SeccompFilterFlag.LOG), c.program().flags());
        BpfInterpreter f = new BpfInterpreter(c.program().filter());
        assertEquals(Action.ALLOW, f.run(X86_64, READ));
        assertEquals(Action.errno(38), f.run(X86_64, GETPID), "the profile's default");
        assertEquals(Action.errno(1), f.run(X86_64, SOCKET, 40));
        assertEquals(Action.errno(38), f.run(X86_64, SOCKET, 2), "allowed by no rule");
        assertEquals(Action.errno(13), f.run(X86_64, MKNOD, 0, 0x2000));
        assertEquals(Action.KILL_PROCESS, f.run(X86_64, PTRACE));
        assertEquals(Action.TRAP, f.run(X86_64, KILL));
        assertEquals(Action.LOG, f.run(X86_64, UNAME));
    }

    @Test
    void versionOneAllowsNumbersOnTheNativeArchOnly() {
        BpfInterpreter f = bpf("1\nallowlist\n0\n1\n3\n60\n231\n");
        assertEquals(Action.ALLOW, f.run(X86_64, READ));
        assertEquals(Action.KILL_PROCESS, f.run(X86_64, MKDIR));
        assertEquals(Action.KILL_PROCESS, f.run(I386, 3), "v1 numbers are native ones");
    }

    @Test
    void unknownSyscallsAreSkippedWithAWarning() {
        CompiledFilter c = compiled("2\ndenylist\nno_such_syscall_xyz errno 1\nmkdir errno 1\n", "x86_64");
        assertEquals(List.of("Skipping unknown syscall \"no_such_syscall_xyz\" for x86_64"), c.warnings());
        assertEquals(Action.errno(1), new BpfInterpreter(c.program().filter()).run(X86_64, MKDIR));
    }

    @Test
    void compiledFiltersAreCachedByContent() {
        String policy = "2\ndenylist\nmkdir errno 1\n";
        CompiledFilter a = compiled(policy);
        CompiledFilter b = compiled(policy);
        assertSame(a, b);
        assertEquals(1, compiler.compiles());
        CompiledFilter other = compiled(policy, "x86_64");
        assertEquals(2, compiler.compiles());
        assertNotEquals(a.cacheKey(), other.cacheKey());
        CompiledFilter reordered = compiler.compile(new SeccompRequest(policy, Optional.of(
                LxcPolicyParserTest.FILE), List.of("x86_64", "i386"), -1L, false));
        assertEquals(a.cacheKey(), reordered.cacheKey(), "the source path only changes messages");
        assertEquals(2, compiler.compiles());
        assertTrue(compiler.compilerId().startsWith("libseccomp/2."), compiler.compilerId());
    }

    @Test
    void notifyWithoutAProxyIsRefusedAtItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> compiler.compile(new SeccompRequest(
                "2\ndenylist\nmknod errno 0\nioctl notify\n", Optional.of(LxcPolicyParserTest.FILE),
                List.of("x86_64"), -1L, false)));
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("lxc.seccomp.notify.proxy"), e.getMessage());
    }

    @Test
    void conflictingRulesAreAConfigError() {
        ConfigException e = assertThrows(ConfigException.class, () -> compiler.compile(new SeccompRequest(
                "2\ndenylist\nmkdir errno 1\nmkdir errno 2\n", Optional.of(LxcPolicyParserTest.FILE),
                List.of("x86_64"), -1L, false)));
        assertEquals(4, e.line());
    }
}
