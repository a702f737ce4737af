package org.lxj.security.caps.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CapabilitySets;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcessSpec;

class HostBoundingTest {

    private static final long FULL = (1L << 41) - 1;
    private static final long SYS_RESOURCE = 1L << 24;
    private static final long SYS_MODULE = 1L << 16;

    @Test
    void readsTheBoundingLine(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nCapPrm:\t000001fffeffffff\nCapBnd:\t000001fffeffffff\nCapAmb:\t0\n");
        assertEquals(0x1fffeffffffL, HostBounding.read(status));
    }

    @Test
    void aMissingOrBadLineIsANamedError(@TempDir Path dir) throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\n");
        BackendException none = assertThrows(BackendException.class, () -> HostBounding.read(status));
        assertTrue(none.getMessage().contains("CapBnd"), none.getMessage());
        Files.writeString(status, "CapBnd:\tzz\n");
        BackendException bad = assertThrows(BackendException.class, () -> HostBounding.read(status));
        assertTrue(bad.getMessage().startsWith("Invalid bounding set \"zz\""), bad.getMessage());
    }

    @Test
    void theOwnProcessHasABoundingSet() {
        HostBounding.read(HostBounding.PROC_FILE);
    }

    @Test
    void containersGetNothingTheRuntimeLacks() {
        HostFacts host = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID, List.of(), true,
                Set.of(), 0);
        ContainerContext ctx = new ContainerContext("c1", Path.of("/var/lib/lxj"),
                new FakeConfig("lxc.cap.drop = sys_module"), Path.of("/run/lxj/0/c1"),
                Path.of("/var/lib/lxj/c1/rootfs"), host);
        LaunchPlan.Builder b = LaunchPlan.builder().cloneNamespace(Namespace.MOUNT).process(new ProcessSpec(
                List.of("/sbin/init"), List.of(), 0, 0, List.of(), Path.of("/"), OptionalInt.empty()));
        new CapsContributor(40, FULL & ~SYS_RESOURCE).contribute(ctx, b);
        long expected = FULL & ~SYS_RESOURCE & ~SYS_MODULE;
        assertEquals(CapabilitySets.rootWith(expected), b.build().capabilities().orElseThrow());
    }
}
