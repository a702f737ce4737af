package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.BackendNotFoundException;
import org.lxj.api.ConfigException;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.SeccompNotifyProxy;
import org.lxj.spi.launch.SeccompProgram;

class SeccompContributorTest {

    static final HostFacts HOST = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID,
            List.of(), true, Set.of(), 0);

    Path dir;
    Path profile;
    LibseccompCompiler compiler;

    @BeforeEach
    void setUp() throws IOException {
        Optional<LibSeccomp> lib;
        try {
            lib = Optional.of(LibSeccomp.load());
        } catch (UnsatisfiedLinkError e) {
            lib = Optional.empty();
        }
        compiler = new LibseccompCompiler(new JnaSyscalls(), lib);
        dir = Files.createTempDirectory("lxj-seccomp-test-");
        profile = Files.writeString(dir.resolve("deny.seccomp"), "2\ndenylist\n[all]\nmkdir errno 1\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        Files.deleteIfExists(profile);
        Files.deleteIfExists(dir);
    }

    static ContainerContext context(String... lines) {
        return new ContainerContext("c1", Path.of("/var/lib/lxj"), new FakeConfig(lines), Path.of("/run/lxj/0/c1"),
                Path.of("/var/lib/lxj/c1/rootfs"), HOST);
    }

    SeccompContributor contributor(int ownMode) {
        return new SeccompContributor(() -> ownMode, List.of(compiler));
    }

    Optional<SeccompProgram> contribute(SeccompContributor c, String... lines) {
        LaunchPlan.Builder b = LaunchPlan.builder().cloneNamespace(Namespace.MOUNT).process(new ProcessSpec(
                List.of("/sbin/init"), List.of(), 0, 0, List.of(), Path.of("/"), OptionalInt.empty()));
        c.contribute(context(lines), b);
        return b.build().seccomp();
    }

    @Test
    void profileBecomesThePlansProgram() {
        assumeTrue(compiler.detect(HOST).available(), "needs libseccomp.so.2");
        SeccompContributor c = contributor(0);
        assertEquals(LaunchContributor.ORDER_SECCOMP, c.order());
        assertTrue(c.supports(new FakeConfig("lxc.seccomp.profile = " + profile)));
        assertFalse(c.supports(new FakeConfig("lxc.cap.drop = mknod")));
        SeccompProgram p = contribute(c, "lxc.seccomp.profile = " + profile).orElseThrow();
        BpfInterpreter bpf = new BpfInterpreter(p.filter());
        assertEquals(Action.errno(1), bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.MKDIR));
        assertEquals(Action.errno(1), bpf.run(LibseccompCompilerTest.I386, LibseccompCompilerTest.I386_MKDIR));
        assertEquals(Action.KILL_PROCESS, bpf.run(LibseccompCompilerTest.X86_64,
                LibseccompCompilerTest.MKDIR | LibseccompCompilerTest.X32_BIT));
        assertEquals(Set.of(), p.flags());
    }

    @Test
    void dockerDefaultNamesTheBuiltInProfileAndAPathStaysAFile() throws IOException {
        assumeTrue(compiler.detect(HOST).available(), "needs libseccomp.so.2");
        BpfInterpreter builtin = new BpfInterpreter(contribute(contributor(0), "lxc.seccomp.profile = docker-default")
                .orElseThrow().filter());
        assertEquals(Action.errno(1), builtin.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.SOCKET, 38));
        assertEquals(Action.ALLOW, builtin.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.MKDIR));
        assertEquals(Action.ALLOW, builtin.run(LibseccompCompilerTest.X86_64, DockerDefaultProfileTest.MOUNT),
                "no capability sets in the plan: every capability, as a container without lxc.cap.*");
        Path file = Files.writeString(dir.resolve("docker-default"), "2\ndenylist\n[all]\nmkdir errno 1\n");
        try {
            BpfInterpreter fromFile = new BpfInterpreter(contribute(contributor(0), "lxc.seccomp.profile = " + file)
                    .orElseThrow().filter());
            assertEquals(Action.errno(1), fromFile.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.MKDIR));
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void noProfileAddsNothing() {
        assertEquals(Optional.empty(), contribute(contributor(0), "lxc.seccomp.profile = ",
                "lxc.seccomp.allow_nesting = 0"));
    }

    @Test
    void nestedRuntimeLoadsOnlyWithAllowNesting() {
        assumeTrue(compiler.detect(HOST).available(), "needs libseccomp.so.2");
        assertEquals(Optional.empty(), contribute(contributor(2), "lxc.seccomp.profile = " + profile));
        assertTrue(contribute(contributor(2), "lxc.seccomp.profile = " + profile, "lxc.seccomp.allow_nesting = 1")
                .isPresent());
        ConfigException e = assertThrows(ConfigException.class, () -> contribute(contributor(0),
                "lxc.seccomp.profile = " + profile, "lxc.seccomp.allow_nesting = yes"));
        assertEquals(2, e.line());
    }

    LaunchPlan plan(SeccompContributor c, String... lines) {
        LaunchPlan.Builder b = LaunchPlan.builder().cloneNamespace(Namespace.MOUNT).process(new ProcessSpec(
                List.of("/sbin/init"), List.of(), 0, 0, List.of(), Path.of("/"), OptionalInt.empty()));
        c.contribute(context(lines), b);
        return b.build();
    }

    @Test
    void notifyRulesCarryTheProxyAndCookieIntoThePlan() throws IOException {
        assumeTrue(compiler.detect(HOST).available(), "needs libseccomp.so.2");
        Files.writeString(profile, "2\ndenylist\n[all]\nmkdir notify\n");
        LaunchPlan p = plan(contributor(0), "lxc.seccomp.profile = " + profile,
                "lxc.seccomp.notify.proxy = unix:/run/proxy.sock", "lxc.seccomp.notify.cookie = c00kie");
        assertTrue(p.seccomp().orElseThrow().notifies());
        assertEquals(Optional.of(new SeccompNotifyProxy("/run/proxy.sock", Optional.of("c00kie"))),
                p.seccompNotifyProxy());
        assertThrows(ConfigException.class, () -> plan(contributor(0), "lxc.seccomp.profile = " + profile));
    }

    @Test
    void aProxyWithoutNotifyRulesOrProfileIsNotUsed() {
        assumeTrue(compiler.detect(HOST).available(), "needs libseccomp.so.2");
        LaunchPlan p = plan(contributor(0), "lxc.seccomp.profile = " + profile,
                "lxc.seccomp.notify.proxy = unix:/run/proxy.sock");
        assertTrue(p.seccomp().isPresent());
        assertEquals(Optional.empty(), p.seccompNotifyProxy());
        assertEquals(Optional.empty(), plan(contributor(0), "lxc.seccomp.notify.proxy = unix:@p").seccomp());
    }

    @Test
    void unreadableProfileNamesTheConfigLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> contribute(contributor(0),
                "lxc.uts.name = x", "lxc.seccomp.profile = " + dir.resolve("missing")));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith(FakeConfig.FILE + ":2: Failed to read seccomp profile \""
                + dir.resolve("missing") + "\""), e.getMessage());
    }

    @Test
    void policyErrorsNameThePolicyFileAndLine() {
        assumeTrue(compiler.detect(HOST).available(), "needs libseccomp.so.2");
        ConfigException e = assertThrows(ConfigException.class, () -> {
            Files.writeString(profile, "2\ndenylist\nmkdir frobnicate\n");
            contribute(contributor(0), "lxc.seccomp.profile = " + profile);
        });
        assertEquals(Optional.of(profile), e.file());
        assertEquals(3, e.line());
    }

    @Test
    void noCompilerIsANamedError() {
        SeccompContributor c = new SeccompContributor(() -> 0, List.of());
        BackendNotFoundException e = assertThrows(BackendNotFoundException.class,
                () -> contribute(c, "lxc.seccomp.profile = " + profile));
        assertEquals("no seccomp backend \"libseccomp\" is installed", e.getMessage());
    }
}
