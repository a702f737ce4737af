package org.lxj.storage.lvm.internal;

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
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.StorageRequest;

/**
 * The lvm backend and thin snapshots on a volume group {@code lxjt<random>} with a thin pool, on a loop device
 * the test attaches to an image under /var/tmp; the group, the device and the image are removed afterwards,
 * even on failure. Needs root, device-mapper in the kernel, lvm2 and thin-provisioning-tools.
 */
class LvmRootTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final ProcessLvmTools tools = new ProcessLvmTools();

    @Test
    void thinVolumeCreateMountSnapshotDestroy() throws IOException {
        assumeTrue(sys.geteuid() == 0, "needs root for loop devices and device-mapper");
        assumeTrue(new String(Files.newInputStream(Path.of("/proc/misc")).readAllBytes(), StandardCharsets.UTF_8)
                .contains(" device-mapper\n"), "the kernel has no device-mapper (not in /proc/misc)");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/lvcreate")) || Files.isExecutable(Path.of("/sbin/lvcreate")),
                "lvm2 is not installed");
        String vg = "lxjt" + UUID.randomUUID().toString().substring(0, 8);
        Path tmp = Files.createTempDirectory(Path.of("/var/tmp"), "lxj-lvm-it");
        Path image = tmp.resolve("pv.img");
        Path mnt = Files.createDirectories(tmp.resolve("mnt"));
        String device = null;
        boolean vgMade = false;
        try {
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(512L << 20);
            }
            device = tools.run(List.of("losetup", "-f", "--show", image.toString())).strip();
            tools.run(List.of("pvcreate", "-q", "-y", device));
            tools.run(List.of("vgcreate", "-q", vg, device));
            vgMade = true;
            tools.run(List.of("lvcreate", "-q", "-y", "-L", "256M", "--thinpool", "pool", vg));

            LvmStorageBackend lvm = new LvmStorageBackend(sys);
            LvmSnapshotProvider snapshots = new LvmSnapshotProvider(sys, lvm);
            Path c1 = Files.createDirectories(tmp.resolve("lxcpath/c1"));
            String path = lvm.create(new StorageRequest("c1", c1, Map.of("vgname", vg, "thinpool", "pool",
                    "fssize", "128M")));
            assertEquals("lvm:/dev/" + vg + "/c1", path);
            assertTrue(lvm.owns("/dev/" + vg + "/c1"), "an unprefixed LVM device is lvm's");
            lvm.mount(path, mnt);
            try {
                Files.writeString(mnt.resolve("hello.txt"), "before snapshot");
            } finally {
                lvm.unmount(path, mnt);
            }
            SnapshotSource source = new SnapshotSource("c1", path, "lvm", lvm.capabilities(), lvm, mnt);
            assertTrue(snapshots.canSnapshot(source), "a thin volume");
            SnapshotResult snap = snapshots.snapshot(source, new SnapshotTarget("snap0",
                    Files.createDirectories(c1.resolve("snaps/snap0")), Map.of()));
            assertEquals(new SnapshotResult("lvm:/dev/" + vg + "/c1_snap0", false), snap);
            lvm.mount(path, mnt);
            try {
                Files.writeString(mnt.resolve("hello.txt"), "after snapshot");
            } finally {
                lvm.unmount(path, mnt);
            }
            lvm.mount(snap.rootfsPath(), mnt);
            try {
                assertEquals("before snapshot", Files.readString(mnt.resolve("hello.txt")), "copy-on-write");
            } finally {
                lvm.unmount(snap.rootfsPath(), mnt);
            }
            snapshots.destroy(snap.rootfsPath());
            lvm.destroy(path);
            lvm.destroy(path);
            assertEquals("pool", tools.run(List.of("lvs", "--noheadings", "-o", "lv_name", vg)).strip(),
                    "only the pool is left");
        } finally {
            if (Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + mnt + " ")) {
                tools.run(List.of("umount", "-l", mnt.toString()));
            }
            if (vgMade) {
                tools.run(List.of("vgremove", "-q", "-f", vg));
            }
            if (device != null) {
                tools.run(List.of("pvremove", "-q", "-y", device));
                tools.run(List.of("losetup", "-d", device));
            }
            try (Stream<Path> s = Files.walk(tmp)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        assertFalse(tools.run(List.of("vgs", "--noheadings", "-o", "vg_name")).contains(vg), "no volume group left");
        assertFalse(tools.run(List.of("losetup", "-a")).contains(image.toString()), "no loop device left");
    }
}
