package org.lxj.storage.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lxj.linux.MountFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageRequest;

/** The overlay backend on a real overlayfs: needs root and overlay in /proc/filesystems. */
class OverlayStorageRootTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final OverlayStorageBackend overlay = new OverlayStorageBackend(sys);

    @Test
    void createMountWriteRemountDestroy() throws IOException {
        assumeTrue(sys.geteuid() == 0, "needs root to mount overlayfs");
        assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n"),
                "overlay is not in /proc/filesystems");
        Path tmp = Files.createTempDirectory("lxj-overlay-it");
        Path target = tmp.resolve("mnt");
        try {
            Path cdir = Files.createDirectories(tmp.resolve("lxcpath/c1"));
            Files.createDirectories(target);
            String path = overlay.create(new StorageRequest("c1", cdir, Map.of()));
            assertEquals("overlay:" + cdir.resolve("rootfs") + ":" + cdir.resolve("overlay/delta"), path);
            Files.writeString(cdir.resolve("rootfs/base.txt"), "from lower");

            MountedRootfs m = overlay.mount(path, target);
            assertEquals(new MountedRootfs(target, true), m);
            assertTrue(mounted(target), "overlay is in mountinfo");
            assertEquals("from lower", Files.readString(target.resolve("base.txt")));
            Files.writeString(target.resolve("hello.txt"), "written inside");
            overlay.unmount(path, target);
            assertFalse(mounted(target), "unmounted");
            assertTrue(Files.exists(cdir.resolve("overlay/delta/hello.txt")), "change went to the upper dir");
            assertFalse(Files.exists(cdir.resolve("rootfs/hello.txt")), "lower untouched");

            overlay.mount(path, target);
            assertEquals("written inside", Files.readString(target.resolve("hello.txt")));
            overlay.unmount(path, target);
            overlay.unmount(path, target); // a second unmount is a no-op

            overlay.destroy(path);
            assertFalse(Files.exists(cdir.resolve("overlay")), "delta and work removed");
            assertEquals("from lower", Files.readString(cdir.resolve("rootfs/base.txt")), "lower kept");
            overlay.destroy(path); // already gone is not an error
        } finally {
            if (mounted(target)) {
                try {
                    sys.umount2(target.toString(), MountFlags.MNT_DETACH);
                } catch (SyscallException e) {
                    // reported by the assertion below
                }
            }
            removeTree(tmp);
        }
        assertFalse(mounted(target), "no mount left");
        assertFalse(Files.exists(tmp), "no temp dir left");
    }

    static boolean mounted(Path target) throws IOException {
        String t = " " + target + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(t));
    }

    static void removeTree(Path top) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> s = Files.walk(top)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
