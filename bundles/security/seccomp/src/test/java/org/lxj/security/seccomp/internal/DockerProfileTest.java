package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.lxj.security.seccomp.internal.LibseccompCompilerTest.*;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.seccomp.SeccompRequest;
import org.lxj.spi.security.Capability;

/**
 * Docker/Moby profiles flattened by the container's capabilities, architecture and kernel, as Docker does,
 * then compiled and run through the Java interpreter.
 */
class DockerProfileTest {

    /** Docker's shape in small: an allowlist, a capability-gated rule, arch and kernel gates, an argument filter. */
    static final String PROFILE = """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "defaultErrnoRet": 1,
              "archMap": [
                {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
                {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
                {"architecture": "SCMP_ARCH_RISCV64", "subArchitectures": null}
              ],
              "syscalls": [
                {"names": ["read", "write", "close", "getpid", "uname"], "action": "SCMP_ACT_ALLOW"},
                {"names": ["mount", "umount2"], "action": "SCMP_ACT_ALLOW",
                 "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["ptrace"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "4.8"}},
                {"names": ["kexec_load"], "action": "SCMP_ACT_ALLOW", "includes": {"minKernel": "99.0"}},
                {"names": ["mknod"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["arm64"]}},
                {"names": ["kill"], "action": "SCMP_ACT_ALLOW", "includes": {"arches": ["amd64", "x32"]}},
                {"names": ["unshare"], "action": "SCMP_ACT_ALLOW", "excludes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "includes": {"caps": ["CAP_SYS_ADMIN"]}},
                {"names": ["clone"], "action": "SCMP_ACT_ALLOW", "comment": "no new namespaces without CAP_SYS_ADMIN",
                 "args": [{"index": 0, "value": 2114060288, "op": "SCMP_CMP_MASKED_EQ"}],
                 "excludes": {"caps": ["CAP_SYS_ADMIN"], "arches": ["s390x"]}},
                {"names": ["socket"], "action": "SCMP_ACT_ALLOW",
                 "args": [{"index": 0, "value": 38, "op": "SCMP_CMP_NE"}],
                 "excludes": {"arches": ["aarch64"]}}
              ]
            }
            """;
    static final int MOUNT = 165, UNSHARE = 272, CLONE = 56, I386_MOUNT = 21, AF_ALG = 38, AF_INET = 2;
    static final long SIGCHLD = 17, CLONE_NEWNET = 0x40000000L;
    static final long WITHOUT_SYS_ADMIN = Capability.allUpTo(40) & ~Capability.SYS_ADMIN.bit();

    static Optional<LibSeccomp> lib;

    @BeforeAll
    static void needsLibseccomp() {
        LibseccompCompilerTest.needsLibseccomp();
        lib = LibseccompCompilerTest.lib;
    }

    BpfInterpreter bpf(long caps, String kernel) {
        LibseccompCompiler compiler = new LibseccompCompiler(new JnaSyscalls(), lib, kernel);
        return new BpfInterpreter(compiler.compile(new SeccompRequest(PROFILE, Optional.empty(),
                List.of("x86_64", "i386"), caps, false)).program().filter());
    }

    @Test
    void flatteningFollowsCapabilities() {
        BpfInterpreter without = bpf(WITHOUT_SYS_ADMIN, "6.18.0-1-amd64");
        assertEquals(Action.errno(1), without.run(X86_64, MOUNT), "mount needs CAP_SYS_ADMIN");
        assertEquals(Action.errno(1), without.run(I386, I386_MOUNT));
        assertEquals(Action.ALLOW, without.run(X86_64, UNSHARE), "unshare is excluded only for CAP_SYS_ADMIN");
        BpfInterpreter with = bpf(-1L, "6.18.0-1-amd64");
        assertEquals(Action.ALLOW, with.run(X86_64, MOUNT), "keeping CAP_SYS_ADMIN allows mount");
        assertEquals(Action.ALLOW, with.run(I386, I386_MOUNT));
        assertEquals(Action.errno(1), with.run(X86_64, UNSHARE));
        assertEquals(Action.ALLOW, without.run(X86_64, CLONE, SIGCHLD), "a plain fork");
        assertEquals(Action.errno(1), without.run(X86_64, CLONE, SIGCHLD | CLONE_NEWNET), "unshare -n's clone");
        assertEquals(Action.ALLOW, with.run(X86_64, CLONE, SIGCHLD | CLONE_NEWNET));
    }

    @Test
    void flatteningFollowsArchitectureAndKernel() {
        BpfInterpreter f = bpf(WITHOUT_SYS_ADMIN, "6.18.0-1-amd64");
        assertEquals(Action.ALLOW, f.run(X86_64, READ));
        assertEquals(Action.ALLOW, f.run(X86_64, PTRACE), "minKernel 4.8 is met");
        assertEquals(Action.errno(1), f.run(X86_64, KEXEC_LOAD), "minKernel 99.0 is not");
        assertEquals(Action.errno(1), f.run(X86_64, MKNOD), "arm64 only");
        assertEquals(Action.ALLOW, f.run(X86_64, KILL), "amd64 is x86_64");
        assertEquals(Action.errno(1), f.run(X86_64, SOCKET, AF_ALG), "AF_ALG sockets are refused");
        assertEquals(Action.ALLOW, f.run(X86_64, SOCKET, AF_INET));
        assertEquals(Action.ALLOW, f.run(X86_64, GETPID | X32_BIT), "x32 is a sub-architecture of x86_64");
        assertEquals(Action.KILL_PROCESS, f.run(AARCH64, READ), "another archMap entry is not ours");
        assertEquals(Action.errno(1), bpf(WITHOUT_SYS_ADMIN, "4.4.0").run(X86_64, PTRACE), "an older kernel");
    }

    @Test
    void dockerTargetRules() {
        DockerTarget t = new DockerTarget("x86_64", Capability.CHOWN.bit(), "5.10.0");
        assertTrue(t.includes(List.of("CAP_CHOWN"), List.of(), ""));
        assertTrue(!t.includes(List.of("CAP_CHOWN", "CAP_SYS_ADMIN"), List.of(), ""));
        assertTrue(!t.includes(List.of("CAP_NOT_A_CAP"), List.of(), ""));
        assertTrue(t.includes(List.of(), List.of("x86_64"), "5.10"));
        assertTrue(!t.includes(List.of(), List.of("s390x"), ""));
        assertTrue(t.excludes(List.of(), List.of("amd64")));
        assertTrue(!t.excludes(List.of("CAP_SYS_ADMIN"), List.of("386")));
        assertEquals(0, DockerTarget.compare("5.10.0-30-amd64", "5.10"));
        assertTrue(DockerTarget.compare("6.18.0", "6.9") > 0);
        assertTrue(DockerTarget.compare("4.4", "4.14.1") < 0);
    }

    @Test
    void withoutATargetDockerProfilesAreStillRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> OciPolicyParser.parse(PROFILE, Optional.empty()));
        assertTrue(e.getMessage().contains("must be flattened"), e.getMessage());
        Policy p = OciPolicyParser.parse(PROFILE, Optional.empty(), new DockerTarget("x86_64", 0, "6.18.0"));
        assertEquals(Set.of("x86_64", "i386", "x32"), p.architectures());
        assertEquals(List.of("read", "write", "close", "getpid", "uname", "ptrace", "kill", "unshare", "clone",
                "socket"), p.rules().stream().map(Rule::syscall).toList());
    }
}
