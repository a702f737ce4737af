package org.lxj.storage.lvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Syscall;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;

/** The lvm backend's commands, checked with a scripted command runner and the recording fake (no root). */
class LvmStorageBackendTest {

    @TempDir
    Path tmp;

    private final RecordingSyscalls sys = new RecordingSyscalls();
    private final List<String> ran = new ArrayList<>();
    /** Output by command line; a command line not listed succeeds with no output, unless in {@link #failing}. */
    private final Map<String, String> outputs = new HashMap<>();
    private final List<String> failing = new ArrayList<>();

    private final LvmTools tools = command -> {
        String line = String.join(" ", command);
        ran.add(line);
        if (failing.stream().anyMatch(line::startsWith)) {
            throw new BackendException("Failed to run \"" + line + "\": exited with 5");
        }
        return outputs.getOrDefault(line, "");
    };

    private LvmStorageBackend backend() {
        return new LvmStorageBackend(sys, tools, tmp.resolve("misc"), tmp.resolve("block"));
    }

    @Test
    void describesItselfAndParsesPaths() {
        LvmStorageBackend lvm = backend();
        assertEquals("lvm", lvm.type());
        assertEquals(Set.of(StorageCapability.SNAPSHOT, StorageCapability.CLONE, StorageCapability.RESIZE),
                lvm.capabilities());
        assertTrue(lvm.owns("lvm:/dev/vg/lv"));
        assertFalse(lvm.owns("/var/lib/lxc/c1/rootfs"));
        assertEquals(new Lvm.Volume("vg", "lv"), Lvm.parse("lvm:/dev/vg/lv"));
        assertEquals(new Lvm.Volume("vg", "lv"), Lvm.parse("/dev/vg/lv"));
        assertEquals("Invalid lvm rootfs \"lvm:/x/y\": expected \"lvm:/dev/VG/LV\"",
                assertThrows(BackendException.class, () -> Lvm.parse("lvm:/x/y")).getMessage());
        assertEquals("Invalid logical volume name \"-x\"",
                assertThrows(BackendException.class, () -> Lvm.parse("lvm:/dev/vg/-x")).getMessage());
        assertEquals(3L << 30, Lvm.parseSize("3G"));
        assertEquals(512L << 20, Lvm.parseSize("512MB"));
        assertThrows(BackendException.class, () -> Lvm.parseSize("lots"));
    }

    @Test
    void detectionNeedsDeviceMapper() throws IOException {
        Files.writeString(tmp.resolve("misc"), "183 hw_random\n 58 loop-control\n");
        assertFalse(backend().detect(null).available());
    }

    @Test
    void createUsesTheThinPoolWhenItExists() {
        failing.add("lvs --noheadings -o lv_attr lxjt/c1");
        outputs.put("lvs --noheadings -o lv_attr lxjt/pool", "  twi-aotz--\n");
        String path = backend().create(new StorageRequest("c1", tmp.resolve("c1"),
                Map.of("vgname", "lxjt", "thinpool", "pool", "fssize", "2G", "fstype", "xfs")));
        assertEquals("lvm:/dev/lxjt/c1", path);
        assertEquals(List.of("lvs --noheadings -o lv_attr lxjt/c1", "lvs --noheadings -o lv_attr lxjt/pool",
                "lvcreate -q -y -Wy --thinpool lxjt/pool -V 2147483648b -n c1", "mkfs.xfs -f -q /dev/lxjt/c1"), ran);
        assertEquals(tmp.resolve("c1/rootfs").toString(), sys.calls(Syscall.MKDIR).get(0).arg(0));
    }

    @Test
    void createMakesAPlainVolumeWithoutAPoolAndTheDefaults() {
        failing.add("lvs ");
        String path = backend().create(new StorageRequest("c1", tmp.resolve("c1"), Map.of("lvname", "root1")));
        assertEquals("lvm:/dev/lxc/root1", path);
        assertEquals(List.of("lvs --noheadings -o lv_attr lxc/root1", "lvs --noheadings -o lv_attr lxc/lxc",
                "lvcreate -q -y -Wy -L 1073741824b -n root1 lxc", "mkfs.ext4 -F -q /dev/lxc/root1"), ran);
    }

    @Test
    void failedMkfsRemovesTheVolumeAndAnExistingVolumeIsRefused() {
        failing.add("lvs ");
        failing.add("mkfs.ext4");
        BackendException e = assertThrows(BackendException.class,
                () -> backend().create(new StorageRequest("c1", tmp.resolve("c1"), Map.of())));
        assertEquals("Failed to run \"mkfs.ext4 -F -q /dev/lxc/c1\": exited with 5", e.getMessage());
        assertEquals("lvremove -q -f lxc/c1", ran.get(ran.size() - 1));

        failing.clear();
        outputs.put("lvs --noheadings -o lv_attr lxc/c1", "  -wi-a-----\n");
        assertEquals("Failed to create logical volume \"lxc/c1\": it already exists", assertThrows(
                BackendException.class, () -> backend().create(new StorageRequest("c1", tmp, Map.of())))
                .getMessage());
    }

    @Test
    void destroyIgnoresAVolumeThatIsGone() {
        failing.add("lvs ");
        backend().destroy("lvm:/dev/lxc/gone");
        assertEquals(List.of("lvs --noheadings -o lv_attr lxc/gone"), ran);
    }

    @Test
    void thinSnapshotsAreNamedAfterTheOriginAndActivated() {
        LvmStorageBackend lvm = backend();
        LvmSnapshotProvider provider = new LvmSnapshotProvider(sys, lvm);
        assertEquals(SnapshotKind.COPY_ON_WRITE, provider.kind());
        outputs.put("lvs --noheadings -o lv_attr lxc/c1", "  Vwi-a-tz--\n");
        outputs.put("lvs --noheadings -o lv_attr lxc/thick", "  -wi-a-----\n");
        SnapshotSource thin = new SnapshotSource("c1", "lvm:/dev/lxc/c1", "lvm", lvm.capabilities(), lvm, tmp);
        assertTrue(provider.canSnapshot(thin));
        assertFalse(provider.canSnapshot(new SnapshotSource("c1", "lvm:/dev/lxc/thick", "lvm", lvm.capabilities(),
                lvm, tmp)), "a plain volume is left to the copy provider");
        assertFalse(provider.canSnapshot(new SnapshotSource("c1", "dir:/x", "dir", Set.of(), lvm, tmp)));
        failing.add("lvs --noheadings -o lv_attr lxc/c1_snap0");
        failing.add("lvs --noheadings -o lv_attr lxc/c2");
        ran.clear();

        SnapshotResult snap = provider.snapshot(thin, new SnapshotTarget("snap0", tmp.resolve("snaps/snap0"),
                Map.of()));
        SnapshotResult clone = provider.snapshot(thin, new SnapshotTarget("c2", tmp.resolve("c2"), Map.of()));

        assertEquals(new SnapshotResult("lvm:/dev/lxc/c1_snap0", false), snap);
        assertEquals(new SnapshotResult("lvm:/dev/lxc/c2", false), clone);
        assertEquals(List.of("lvs --noheadings -o lv_attr lxc/c1_snap0", "lvcreate -q -y -s -n c1_snap0 lxc/c1",
                "lvchange -q -ay -K lxc/c1_snap0", "lvs --noheadings -o lv_attr lxc/c2",
                "lvcreate -q -y -s -n c2 lxc/c1", "lvchange -q -ay -K lxc/c2"), ran);
    }
}
