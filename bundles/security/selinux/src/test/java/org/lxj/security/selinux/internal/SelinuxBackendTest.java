package org.lxj.security.selinux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.lsm.LsmProfile;

class SelinuxBackendTest {

    private static final String CTX = "system_u:system_r:container_t:s0:c22,c33";
    private static final HostFacts WITHOUT = host(List.of("lockdown", "capability", "landlock", "bpf"));
    private static final HostFacts WITH = host(List.of("capability", "selinux"));

    @TempDir
    Path tmp;
    private SelinuxBackend backend;

    private static HostFacts host(List<String> lsms) {
        return new HostFacts("6.18.0", "x86_64", Set.of(), lsms, CgroupLayout.HYBRID, List.of(), true, Set.of(), 7);
    }

    @BeforeEach
    void setUp() throws IOException {
        Path fs = Files.createDirectories(tmp.resolve("selinux"));
        Files.writeString(fs.resolve("enforce"), "1");
        backend = new SelinuxBackend(fs);
    }

    private ContainerContext context(HostFacts host, String... lines) {
        return new ContainerContext("c1", Path.of("/var/lib/lxc"), new FakeConfig(lines), tmp, tmp, host);
    }

    @Test
    void detectionNeedsTheLsmAndSelinuxfs() {
        assertTrue(backend.detect(WITH).available());
        assertEquals("SELinux is not an active LSM (active: lockdown,capability,landlock,bpf)",
                backend.detect(WITHOUT).reason());
        assertFalse(new SelinuxBackend(tmp.resolve("missing")).detect(WITH).available());
    }

    @Test
    void aContextFailsTheStartWithoutSelinux() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> backend.profileFor(context(WITHOUT, "lxc.selinux.context = " + CTX)));
        assertEquals("Config key \"lxc.selinux.context\" = \"" + CTX + "\" needs SELinux, which this host does not "
                + "provide: SELinux is not an active LSM (active: lockdown,capability,landlock,bpf)", e.getMessage());
        assertThrows(UnsupportedFeatureException.class,
                () -> backend.profileFor(context(WITHOUT, "lxc.selinux.context.keyring = " + CTX)));
        assertTrue(backend.profileFor(context(WITHOUT, "lxc.uts.name = c1")).isEmpty());
        assertFalse(backend.requested(new FakeConfig("lxc.uts.name = c1")));
    }

    @Test
    void theContextBecomesTheExecAndKeyringLabels() {
        ContainerContext ctx = context(WITH, "lxc.selinux.context = " + CTX);
        LsmProfile p = backend.profileFor(ctx).orElseThrow();
        assertEquals(new LsmProfile("selinux", CTX, false, false), p);
        assertEquals(List.of(new LsmLabel("selinux", "exec", CTX, false), new LsmLabel("selinux", "keycreate", CTX,
                false)), backend.labels(ctx, p));
        assertEquals(Optional.of("context=\"" + CTX + "\""), backend.mountOption(p));
        ContainerContext keyring = context(WITH, "lxc.selinux.context = " + CTX,
                "lxc.selinux.context.keyring = system_u:object_r:container_file_t:s0");
        assertEquals(new LsmLabel("selinux", "keycreate", "system_u:object_r:container_file_t:s0", false),
                backend.labels(keyring, p).get(1));
        assertTrue(backend.profileFor(context(WITH, "lxc.selinux.context.keyring = " + CTX)).isEmpty());
    }

    @Test
    void aMalformedContextIsAConfigErrorAtItsLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> backend.profileFor(context(WITH, "lxc.uts.name = c1", "lxc.selinux.context = container_t")));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("expected an SELinux context user:role:type[:level]"), e.getMessage());
    }

    @Test
    void theRuntimesOwnContextIsWellFormedWhereSelinuxRuns() throws IOException {
        assumeTrue(Files.isRegularFile(SelinuxBackend.SELINUXFS.resolve("enforce")),
                "SELinux is not enabled on this host (no " + SelinuxBackend.SELINUXFS + "/enforce)");
        String own = new String(Files.newInputStream(Path.of("/proc/self/attr/current")).readAllBytes(),
                StandardCharsets.UTF_8).replace("\0", "").trim();
        ContainerContext ctx = context(host(List.of("selinux")), "lxc.selinux.context = " + own);
        assertEquals(own, backend.profileFor(ctx).orElseThrow().label());
    }
}
