package org.lxj.security.landlock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LaunchContributor;

class LandlockContributorTest {

    @TempDir
    Path rootfs;

    private static HostFacts host(int abi) {
        return new HostFacts("6.18.0", "x86_64", Set.of(), List.of("landlock"), CgroupLayout.HYBRID, List.of(), true,
                Set.of(), abi);
    }

    @Test
    void itRunsInTheLandlockBandAndIsAlwaysAvailable() {
        LandlockContributor c = new LandlockContributor();
        assertEquals(LaunchContributor.ORDER_LANDLOCK, c.order());
        assertEquals("landlock", c.type());
        assertEquals("Landlock ABI 7", c.detect(host(7)).reason());
        assertTrue(c.detect(host(0)).available());
        assertTrue(c.supports(new FakeConfig("lxj.landlock.fs.ro = /")));
        assertFalse(c.supports(new FakeConfig("lxj.landlock.best_effort = 1")));
    }

    @Test
    void pathTypesAreReadInTheRootfsWithoutFollowingLinks() throws IOException {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/hostname"), "c1\n");
        Files.createSymbolicLink(rootfs.resolve("bin"), Path.of("/usr/bin"));
        assertTrue(LandlockContributor.nonDirectory(rootfs, Path.of("/etc/hostname")));
        assertFalse(LandlockContributor.nonDirectory(rootfs, Path.of("/etc")));
        assertFalse(LandlockContributor.nonDirectory(rootfs, Path.of("/bin")));
        assertFalse(LandlockContributor.nonDirectory(rootfs, Path.of("/missing")));
        assertFalse(LandlockContributor.nonDirectory(rootfs, Path.of("/")));
    }
}
