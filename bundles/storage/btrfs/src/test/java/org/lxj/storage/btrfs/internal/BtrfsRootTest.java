package org.lxj.storage.btrfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lxj.linux.Btrfs;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.StorageCopyRequest;
import org.lxj.spi.storage.StorageRequest;

/**
 * The btrfs backend and snapshot provider on a real btrfs that the test makes on a loop device (an image file
 * under /var/tmp, mkfs.btrfs, mount -o loop) and removes afterwards, even on failure. Needs root and
 * mkfs.btrfs.
 */
class BtrfsRootTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final BtrfsStorageBackend backend = new BtrfsStorageBackend(sys);
    private final BtrfsSnapshotProvider snapshots = new BtrfsSnapshotProvider(sys);
    private final Btrfs btrfs = new Btrfs(sys);

    @Test
    void createSnapshotRestoreCopyDestroy() throws Exception {
        assumeTrue(sys.geteuid() == 0, "needs root to mount a btrfs");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs.btrfs")) || Files.isExecutable(Path.of("/sbin/mkfs.btrfs")),
                "mkfs.btrfs is not installed (btrfs-progs)");
        assumeTrue(Files.readString(Path.of("/proc/filesystems")).contains("\tbtrfs\n"),
                "btrfs is not in /proc/filesystems");
        Path tmp = Files.createTempDirectory(Path.of("/var/tmp"), "lxj-btrfs-it");
        Path image = tmp.resolve("btrfs.img");
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        try {
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(256L << 20);
            }
            run("mkfs.btrfs", "-q", "-f", image.toString());
            run("mount", "-o", "loop", image.toString(), mnt.toString());
            exercise(mnt, tmp);
        } finally {
            if (mounted(mnt)) {
                run("umount", mnt.toString());
            }
            String left = runOut("losetup", "-j", image.toString());
            removeTree(tmp);
            assertEquals("", left, "no loop device left");
        }
        assertFalse(mounted(mnt), "nothing left mounted");
        assertFalse(Files.exists(tmp), "temp files removed");
    }

    private void exercise(Path mnt, Path tmp) throws IOException {
        Path c1 = Files.createDirectories(mnt.resolve("lxcpath/c1"));
        String path = backend.create(new StorageRequest("c1", c1, Map.of()));
        Path rootfs = c1.resolve("rootfs");
        assertEquals("btrfs:" + rootfs, path);
        assertTrue(btrfs.isSubvolume(rootfs), "a subvolume");
        assertTrue(backend.owns(rootfs.toString()), "an unprefixed subvolume path is btrfs's");
        assertFalse(backend.owns(c1.toString()), "a plain directory on btrfs is not");
        Path mounted = backend.mount(path, tmp).path();
        Files.writeString(mounted.resolve("hello.txt"), "before snapshot");

        SnapshotSource source = new SnapshotSource("c1", path, backend.type(), backend.capabilities(), backend,
                mounted);
        assertTrue(snapshots.canSnapshot(source));
        Path snapDir = Files.createDirectories(c1.resolve("snaps/snap0"));
        SnapshotResult snap = snapshots.snapshot(source, new SnapshotTarget("snap0", snapDir, Map.of()));
        assertEquals(new SnapshotResult("btrfs:" + snapDir.resolve("rootfs"), false), snap);
        Files.writeString(mounted.resolve("hello.txt"), "after snapshot");
        assertEquals("before snapshot", Files.readString(snapDir.resolve("rootfs/hello.txt")), "copy-on-write");

        Path c2 = Files.createDirectories(mnt.resolve("lxcpath/c2"));
        SnapshotSource snapSource = new SnapshotSource("c1", snap.rootfsPath(), backend.type(),
                backend.capabilities(), backend, snapDir.resolve("rootfs"));
        SnapshotResult restored = snapshots.restore(snapSource, new SnapshotTarget("c2", c2, Map.of()));
        assertEquals("before snapshot", Files.readString(c2.resolve("rootfs/hello.txt")));

        Path plain = Files.createDirectories(tmp.resolve("plain/etc"));
        Files.writeString(plain.resolve("hostname"), "c3\n");
        Path c3 = Files.createDirectories(mnt.resolve("lxcpath/c3"));
        String copied = backend.copy(new StorageCopyRequest("dir:" + plain.getParent(), plain.getParent(), "c3",
                c3, Map.of(), OptionalLong.empty()));
        assertEquals("btrfs:" + c3.resolve("rootfs"), copied);
        assertTrue(btrfs.isSubvolume(c3.resolve("rootfs")));
        assertEquals("c3\n", Files.readString(c3.resolve("rootfs/etc/hostname")));

        snapshots.destroy(snap.rootfsPath());
        snapshots.destroy(snap.rootfsPath()); // already gone
        backend.destroy(restored.rootfsPath());
        backend.destroy(copied);
        backend.destroy(path);
        backend.destroy(path);
        for (Path gone : List.of(rootfs, snapDir.resolve("rootfs"), c2.resolve("rootfs"), c3.resolve("rootfs"))) {
            assertFalse(Files.exists(gone), gone + " deleted");
        }
        assertEquals("", runOut("btrfs", "subvolume", "list", mnt.toString()), "no subvolume left");
    }

    private static boolean mounted(Path target) throws IOException {
        String t = " " + target + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(t));
    }

    private static void run(String... cmd) throws IOException {
        runOut(cmd);
    }

    private static String runOut(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            if (p.waitFor() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", cmd) + " interrupted", e);
        }
        return out;
    }

    private static void removeTree(Path top) throws IOException {
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
