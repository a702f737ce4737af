package org.lxj.storage.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Syscall;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.StorageCapability;

/**
 * The overlay snapshot provider works from the rootfs value alone: it declares so, and neither a snapshot of an
 * overlay nor a clone of a directory in place mounts or unmounts anything (recording fake, no root).
 */
class OverlaySnapshotProviderTest {

    private final RecordingSyscalls sys = new RecordingSyscalls();
    private final OverlaySnapshotProvider provider = new OverlaySnapshotProvider(sys);
    private final OverlayStorageBackend overlay = new OverlayStorageBackend(sys);

    @TempDir
    Path tmp;

    @Test
    void aSnapshotOfAnOverlayCopiesTheUpperWithoutMountingTheSource() {
        // the source's upper: a real (empty) directory, as TreeCopy lists it through the JDK
        Path upper = tmp.resolve("k1/overlay/delta");
        String value = "overlay:/lxc/base/rootfs:" + upper;
        sys.withStat(upper.toString(), OverlayStorageBackendTest.dirStat());
        sys.on(Syscall.STAT, c -> true, c -> OverlayStorageBackendTest.dirStat());
        assertTrue(upper.toFile().mkdirs());
        SnapshotSource unmounted = source("k1", value, tmp.resolve("k1/rootfs"));

        assertTrue(provider.canSnapshot(unmounted));
        assertTrue(provider.worksUnmounted(unmounted), "an overlay snapshot needs only its layers' directories");
        SnapshotResult r = provider.snapshot(unmounted,
                new SnapshotTarget("snap0", Path.of("/lxc/k1/snaps/snap0"), Map.of()));

        assertEquals(new SnapshotResult("overlay:/lxc/base/rootfs:/lxc/k1/snaps/snap0/overlay/delta", true), r);
        assertEquals(List.of(), sys.calls(Syscall.MOUNT), "nothing is mounted");
        assertEquals(List.of(), sys.calls(Syscall.UMOUNT2), "nothing is unmounted");
        assertTrue(sys.calls(Syscall.MKDIR).stream()
                .anyMatch(c -> c.arg(0).equals("/lxc/k1/snaps/snap0/overlay/delta")),
                "the new upper is made: " + sys.calls(Syscall.MKDIR));
    }

    @Test
    void aCloneOfADirectoryInPlaceIsAnEmptyUpperOverItWithoutMounts() {
        sys.on(Syscall.STAT, c -> true, c -> OverlayStorageBackendTest.dirStat());
        SnapshotSource dir = source("c1", "dir:/lxc/c1/rootfs", Path.of("/lxc/c1/rootfs"));

        assertTrue(provider.worksUnmounted(dir));
        SnapshotResult r = provider.snapshot(dir, new SnapshotTarget("k1", Path.of("/lxc/k1"), Map.of()));

        assertEquals(new SnapshotResult("overlay:/lxc/c1/rootfs:/lxc/k1/overlay/delta", true), r);
        assertEquals(List.of(), sys.calls(Syscall.MOUNT));
        assertEquals(List.of(), sys.calls(Syscall.UMOUNT2));
    }

    @Test
    void aRootfsThatIsNotADirectoryInPlaceIsNeitherSnapshotNorServedUnmounted() {
        sys.on(Syscall.STAT, c -> true, c -> OverlayStorageBackendTest.dirStat());
        SnapshotSource loop = source("c1", "loop:/lxc/c1/rootdev", Path.of("/lxc/c1/rootfs"));
        assertFalse(provider.canSnapshot(loop));
        assertFalse(provider.worksUnmounted(loop));
    }

    private SnapshotSource source(String name, String value, Path mountPoint) {
        String type = value.substring(0, value.indexOf(':'));
        return new SnapshotSource(name, value, type, Set.of(StorageCapability.CLONE), overlay, mountPoint);
    }
}
