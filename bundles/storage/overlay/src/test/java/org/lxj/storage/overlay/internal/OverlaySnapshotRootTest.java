package org.lxj.storage.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.linux.MountFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageCapability;

/**
 * Overlay snapshots on a real overlayfs: a directory rootfs cloned as an overlay, then a snapshot of that
 * overlay, each checked through a mount. Needs root and overlay in /proc/filesystems.
 */
class OverlaySnapshotRootTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final OverlayStorageBackend overlay = new OverlayStorageBackend(sys);
    private final OverlaySnapshotProvider provider = new OverlaySnapshotProvider(sys);

    @Test
    void cloneOfADirectoryThenSnapshotOfTheOverlay() throws IOException {
        assumeTrue(sys.geteuid() == 0, "needs root to mount overlayfs");
        assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n"),
                "overlay is not in /proc/filesystems");
        Path tmp = Files.createTempDirectory(Path.of("/var/tmp"), "lxj-ovlsnap-it");
        Path mnt = tmp.resolve("mnt");
        try {
            Files.createDirectories(mnt);
            Path lower = Files.createDirectories(tmp.resolve("lxcpath/base/rootfs"));
            Files.writeString(lower.resolve("base.txt"), "base");
            Files.writeString(lower.resolve("doomed.txt"), "to be deleted in the clone");
            SnapshotSource dirSource = new SnapshotSource("base", "dir:" + lower, "dir",
                    Set.of(StorageCapability.CLONE), overlay, lower);
            assertTrue(provider.canSnapshot(dirSource), "a directory in place can be cloned as overlay");
            assertFalse(provider.canSnapshot(new SnapshotSource("base", "loop:" + tmp.resolve("img"), "loop",
                    Set.of(StorageCapability.CLONE), overlay, mnt)), "a temporarily mounted image cannot");

            Path c1 = Files.createDirectories(tmp.resolve("lxcpath/c1"));
            SnapshotResult clone = provider.snapshot(dirSource, new SnapshotTarget("c1", c1, Map.of()));
            assertEquals(new SnapshotResult("overlay:" + lower + ":" + c1.resolve("overlay/delta"), true), clone);

            MountedRootfs m = overlay.mount(clone.rootfsPath(), mnt);
            Files.writeString(m.path().resolve("clone.txt"), "clone");
            Files.delete(m.path().resolve("doomed.txt"));
            overlay.unmount(clone.rootfsPath(), mnt);
            assertTrue(Files.exists(lower.resolve("doomed.txt")), "the lower is untouched");

            Path snapDir = Files.createDirectories(c1.resolve("snaps/snap0"));
            SnapshotSource ovlSource = new SnapshotSource("c1", clone.rootfsPath(), "overlay", overlay.capabilities(),
                    overlay, mnt);
            assertTrue(provider.canSnapshot(ovlSource));
            SnapshotResult snap = provider.snapshot(ovlSource, new SnapshotTarget("snap0", snapDir, Map.of()));
            assertEquals("overlay:" + lower + ":" + snapDir.resolve("overlay/delta"), snap.rootfsPath());

            overlay.mount(snap.rootfsPath(), mnt);
            try {
                assertEquals("clone", Files.readString(mnt.resolve("clone.txt")), "the clone's changes");
                assertFalse(Files.exists(mnt.resolve("doomed.txt")), "the clone's whiteout");
                assertEquals("base", Files.readString(mnt.resolve("base.txt")));
            } finally {
                overlay.unmount(snap.rootfsPath(), mnt);
            }

            provider.destroy(snap.rootfsPath());
            provider.destroy(clone.rootfsPath());
            assertFalse(Files.exists(snapDir.resolve("overlay")));
            assertFalse(Files.exists(c1.resolve("overlay")));
            assertEquals("base", Files.readString(lower.resolve("base.txt")), "lower kept");
        } finally {
            if (OverlayStorageRootTest.mounted(mnt)) {
                try {
                    sys.umount2(mnt.toString(), MountFlags.MNT_DETACH);
                } catch (SyscallException e) {
                    // reported by the assertion below
                }
            }
            OverlayStorageRootTest.removeTree(tmp);
        }
        assertFalse(OverlayStorageRootTest.mounted(mnt), "no mount left");
    }
}
