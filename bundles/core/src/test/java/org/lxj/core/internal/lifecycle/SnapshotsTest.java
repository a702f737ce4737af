package org.lxj.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.Container;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerExistsException;
import org.lxj.api.ContainerNotFoundException;
import org.lxj.api.CopyRequest;
import org.lxj.api.CreateRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.SnapshotInfo;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.SystemConfig;
import org.lxj.core.internal.lifecycle.SnapshotFakes.CopyProvider;
import org.lxj.core.internal.lifecycle.SnapshotFakes.CopyingStorage;
import org.lxj.core.internal.lifecycle.SnapshotFakes.LayerProvider;
import org.lxj.core.internal.lifecycle.SnapshotFakes.LayerStorage;

/** Snapshots, restores and clones through the lifecycle, with directory fakes (no root). */
class SnapshotsTest {
    private static final Pattern TS = Pattern.compile("\\d{4}:\\d{2}:\\d{2} \\d{2}:\\d{2}:\\d{2}");

    @TempDir
    Path tmp;
    Path lxcpath;
    CopyingStorage dir;
    LayerStorage layer;
    TestBackends backends;
    Lifecycle runtime;

    @BeforeEach
    void setUp() throws IOException {
        lxcpath = tmp.resolve("lxc");
        dir = new CopyingStorage("dir");
        layer = new LayerStorage();
        backends = new TestBackends().add(dir, 0).add(layer, 0).add(new FakeTemplate("busybox"))
                .add(new CopyProvider(), -1000);
        runtime = new Lifecycle(SystemConfig.defaults(), backends, LinesConfig::parse, new NothingRunsStateStore(),
                e -> { }, tmp.resolve("no-lxc-templates"));
        Path f = Files.writeString(tmp.resolve("f.conf"), "# kept comment\nlxc.net.0.type = veth\n"
                + "lxc.net.0.hwaddr = 00:16:3e:aa:bb:cc\nlxc.mount.fstab = " + lxcpath.resolve("c1/fstab") + "\n");
        runtime.create(new CreateRequest(lxcpath, "c1", Optional.of("busybox"), Optional.of(f), List.of(), Map.of(),
                List.of()));
        Files.writeString(lxcpath.resolve("c1/rootfs/data"), "v1");
    }

    @Test
    void snapshotsAreNumberedCopiesWithTimestampAndComment() throws IOException {
        Path comment = Files.writeString(tmp.resolve("comment.txt"), "first snapshot comment\n");
        assertEquals("snap0", runtime.snapshot(lxcpath, "c1", Optional.of(comment)));
        assertEquals("snap1", runtime.snapshot(lxcpath, "c1", Optional.empty()));

        Path snap0 = lxcpath.resolve("c1/snaps/snap0");
        assertEquals(List.of("comment", "config", "rootfs", "ts"), names(snap0));
        assertTrue(TS.matcher(Files.readString(snap0.resolve("ts"))).matches(), Files.readString(snap0.resolve("ts")));
        assertEquals("first snapshot comment\n", Files.readString(snap0.resolve("comment")));
        assertEquals("v1", Files.readString(snap0.resolve("rootfs/data")));
        String config = Files.readString(snap0.resolve("config"));
        assertTrue(config.contains("lxc.rootfs.path = dir:" + snap0.resolve("rootfs") + "\n"), config);
        assertTrue(config.contains("lxc.uts.name = \"c1\"\n"), "the name is kept: " + config);
        assertTrue(config.contains("lxc.net.0.hwaddr = 00:16:3e:aa:bb:cc\n"), "the MAC is kept: " + config);
        assertTrue(config.contains("# kept comment\nlxc.net.0.type = veth\n"), config);

        List<SnapshotInfo> list = runtime.snapshots(lxcpath, "c1");
        assertEquals(List.of("snap0", "snap1"), list.stream().map(SnapshotInfo::name).toList());
        assertEquals(lxcpath.resolve("c1/snaps"), list.get(0).lxcpath());
        assertEquals(Optional.of("first snapshot comment\n"), list.get(0).comment());
        assertEquals(Optional.empty(), list.get(1).comment());
    }

    @Test
    void theFirstFreeIndexIsTakenAndAHalfMadeSnapshotIsNeitherListedNorKept() throws IOException {
        runtime.snapshot(lxcpath, "c1", Optional.empty());
        runtime.snapshot(lxcpath, "c1", Optional.empty());
        runtime.destroySnapshot(lxcpath, "c1", "snap0");
        // an interrupted snapshot: a config and the partial marker nobody holds
        Path half = Files.createDirectories(lxcpath.resolve("c1/snaps/snap5"));
        Files.writeString(half.resolve("config"), "lxc.rootfs.path = dir:" + half.resolve("rootfs") + "\n");
        Files.createDirectories(half.resolve("rootfs"));
        Files.writeString(half.resolve("partial"), "");

        assertEquals(List.of("snap1"), runtime.snapshots(lxcpath, "c1").stream().map(SnapshotInfo::name).toList());
        assertFalse(Files.exists(half), "the leftover is swept");
        assertEquals("snap0", runtime.snapshot(lxcpath, "c1", Optional.empty()));
    }

    @Test
    void restoreMakesANewContainerOrReplacesTheOriginalKeepingItsSnapshots() throws IOException {
        runtime.snapshot(lxcpath, "c1", Optional.empty());
        Files.writeString(lxcpath.resolve("c1/rootfs/data"), "v2");

        Container c2 = runtime.restoreSnapshot(lxcpath, "c1", "snap0", Optional.of("c2"));
        assertEquals("v1", Files.readString(c2.directory().resolve("rootfs/data")));
        String config = Files.readString(c2.configFile());
        assertTrue(config.contains("lxc.rootfs.path = dir:" + c2.directory().resolve("rootfs") + "\n"), config);
        assertTrue(config.contains("lxc.uts.name = c2\n"), config);
        assertEquals("c2\n", Files.readString(c2.directory().resolve("rootfs/etc/hostname")));

        runtime.restoreSnapshot(lxcpath, "c1", "snap0", Optional.empty());
        assertEquals("v1", Files.readString(lxcpath.resolve("c1/rootfs/data")));
        assertEquals(List.of("snap0"), runtime.snapshots(lxcpath, "c1").stream().map(SnapshotInfo::name).toList());
        assertTrue(Files.readString(lxcpath.resolve("c1/config")).contains("lxc.uts.name = \"c1\"\n"));
    }

    @Test
    void destroyAllRemovesEverySnapshotAndTheSnapsDirectory() {
        runtime.snapshot(lxcpath, "c1", Optional.empty());
        runtime.snapshot(lxcpath, "c1", Optional.empty());
        runtime.destroySnapshot(lxcpath, "c1", "ALL");
        assertEquals(List.of(), runtime.snapshots(lxcpath, "c1"));
        assertFalse(Files.exists(lxcpath.resolve("c1/snaps")));
        assertThrows(ContainerNotFoundException.class, () -> runtime.destroySnapshot(lxcpath, "c1", "snap0"));
    }

    @Test
    void destroyRefusesWithSnapshotsAndTakesThemAlongWithS() {
        runtime.snapshot(lxcpath, "c1", Optional.empty());
        ContainerBusyException e = assertThrows(ContainerBusyException.class,
                () -> runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT));
        assertTrue(e.getMessage().contains("has snapshots"), e.getMessage());
        runtime.destroy(lxcpath, "c1", new DestroyOptions(false, true));
        assertFalse(Files.exists(lxcpath.resolve("c1")));
    }

    @Test
    void aFullCopyGetsANewNameMacAndPaths() throws IOException {
        Container c3 = runtime.copy(CopyRequest.of(lxcpath, "c1", "c3"));
        String config = Files.readString(c3.configFile());
        assertTrue(config.contains("lxc.rootfs.path = dir:" + lxcpath.resolve("c3/rootfs") + "\n"), config);
        assertTrue(config.contains("lxc.uts.name = c3\n"), config);
        assertFalse(config.contains("00:16:3e:aa:bb:cc"), config);
        assertTrue(Pattern.compile("(?m)^lxc\\.net\\.0\\.hwaddr = 00:16:3e(:[0-9a-f]{2}){3}$").matcher(config).find(),
                config);
        assertTrue(config.contains("lxc.mount.fstab = " + lxcpath.resolve("c3/fstab") + "\n"), config);
        assertEquals("c3\n", Files.readString(lxcpath.resolve("c3/rootfs/etc/hostname")));
        assertEquals("c1\n", Files.readString(lxcpath.resolve("c1/rootfs/etc/hostname")));
        assertFalse(Files.exists(lxcpath.resolve("c1/lxc_snapshots")), "a full copy depends on nothing");
        assertThrows(ContainerExistsException.class, () -> runtime.copy(CopyRequest.of(lxcpath, "c1", "c3")));
    }

    @Test
    void keepNameAndMacKeepThem() throws IOException {
        runtime.copy(new CopyRequest(lxcpath, "c1", lxcpath, "c4", false, List.of(), Map.of(), true, true,
                List.of("lxc.ephemeral = 1"), List.of()));
        String config = Files.readString(lxcpath.resolve("c4/config"));
        assertTrue(config.contains("lxc.uts.name = \"c1\"\n"), config);
        assertTrue(config.contains("lxc.net.0.hwaddr = 00:16:3e:aa:bb:cc\n"), config);
        assertTrue(config.endsWith("lxc.ephemeral = 1\n"), config);
        assertEquals("c1\n", Files.readString(lxcpath.resolve("c4/rootfs/etc/hostname")));
    }

    @Test
    void aSnapshotCloneOfADirectoryIsCopyOnWriteAndRecordedInBothBookkeepingFiles() throws IOException {
        backends.add(new LayerProvider(), 0);
        for (int i = 0; i < 20; i++) {
            runtime.copy(snapshotClone("k" + i));
        }
        List<String> lines = Files.readAllLines(lxcpath.resolve("c1/lxc_snapshots"));
        assertEquals(40, lines.size());
        assertEquals(List.of(lxcpath.toString(), "k0"), lines.subList(0, 2));
        assertEquals(lxcpath + "\nc1\n", Files.readString(lxcpath.resolve("k3/lxc_rdepends")));
        String config = Files.readString(lxcpath.resolve("k3/config"));
        assertTrue(config.contains("lxc.rootfs.path = layer:" + lxcpath.resolve("c1/rootfs") + ":"
                + lxcpath.resolve("k3/overlay/delta") + "\n"), config);
        assertEquals("c1\n", Files.readString(lxcpath.resolve("c1/rootfs/etc/hostname")), "the source is untouched");

        ContainerBusyException refused = assertThrows(ContainerBusyException.class,
                () -> runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT));
        assertTrue(refused.getMessage().contains("has clones"), refused.getMessage());
        runtime.snapshot(lxcpath, "c1", Optional.empty());
        ContainerBusyException restore = assertThrows(ContainerBusyException.class,
                () -> runtime.restoreSnapshot(lxcpath, "c1", "snap0", Optional.of("r1")));
        assertTrue(restore.getMessage().contains("container rootfs has dependent snapshots"), restore.getMessage());

        runtime.destroy(lxcpath, "k0", DestroyOptions.DEFAULT);
        assertEquals(38, Files.readAllLines(lxcpath.resolve("c1/lxc_snapshots")).size());
        for (int i = 1; i < 20; i++) {
            runtime.destroy(lxcpath, "k" + i, DestroyOptions.DEFAULT);
        }
        assertFalse(Files.exists(lxcpath.resolve("c1/lxc_snapshots")));
        runtime.destroy(lxcpath, "c1", new DestroyOptions(false, true));
        assertEquals(List.of(), names(lxcpath));
    }

    @Test
    void aSnapshotKeepsTheStorageTypeEvenWhenACopyOnWriteProviderCouldLayerOverIt() throws IOException {
        backends.add(new LayerProvider(), 100);
        runtime.snapshot(lxcpath, "c1", Optional.empty());
        assertTrue(Files.readString(lxcpath.resolve("c1/snaps/snap0/config"))
                .contains("lxc.rootfs.path = dir:" + lxcpath.resolve("c1/snaps/snap0/rootfs") + "\n"));
        assertEquals(List.of(), Bookkeeping.pairs(lxcpath.resolve("c1/lxc_snapshots")));
    }

    @Test
    void withoutAnyProviderASnapshotIsRefusedAndNothingIsLeft() {
        backends.snapshots.clear();
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> runtime.snapshot(lxcpath, "c1", Optional.empty()));
        assertTrue(e.getMessage().contains("backing store cannot be backed up"), e.getMessage());
        assertEquals(List.of(), runtime.snapshots(lxcpath, "c1"));
        assertThrows(UnsupportedFeatureException.class, () -> runtime.copy(snapshotClone("k")));
        assertFalse(Files.exists(lxcpath.resolve("k")));
    }

    @Test
    void renameIsACopyKeepingTheMacThenADestroy() throws IOException {
        runtime.rename(lxcpath, "c1", "c9");
        assertFalse(Files.exists(lxcpath.resolve("c1")));
        String config = Files.readString(lxcpath.resolve("c9/config"));
        assertTrue(config.contains("lxc.uts.name = c9\n"), config);
        assertTrue(config.contains("lxc.net.0.hwaddr = 00:16:3e:aa:bb:cc\n"), config);
        assertEquals("v1", Files.readString(lxcpath.resolve("c9/rootfs/data")));
    }

    @Test
    void cloneAndDestroyHooksRunWithLxcArgumentsAndVariables() throws IOException {
        Path log = tmp.resolve("hook.log");
        Path hook = Files.writeString(tmp.resolve("hook.sh"), "#!/bin/sh\necho \"$* $LXC_NAME $LXC_SRC_NAME "
                + "$LXC_ROOTFS_MOUNT\" >> " + log + "\n");
        hook.toFile().setExecutable(true);
        Files.writeString(lxcpath.resolve("c1/config"), "lxc.hook.clone = " + hook + "\nlxc.hook.destroy = " + hook
                + "\n", java.nio.file.StandardOpenOption.APPEND);
        runtime.copy(new CopyRequest(lxcpath, "c1", lxcpath, "h1", false, List.of(), Map.of(), false, false,
                List.of(), List.of("a", "b")));
        runtime.destroy(lxcpath, "h1", DestroyOptions.DEFAULT);
        assertEquals(List.of("h1 lxc clone a b h1 c1 " + lxcpath.resolve("h1/rootfs"),
                "h1 lxc destroy h1  " + lxcpath.resolve("h1/rootfs")), Files.readAllLines(log));
    }

    @Test
    void aRunningSourceIsRefusedInLxcsWordsUnlessAllowRunning() {
        StateStore running = new StateStore() {
            @Override
            public org.lxj.api.ContainerState state(Path p, String name) {
                return name.equals("c1") ? org.lxj.api.ContainerState.RUNNING : org.lxj.api.ContainerState.STOPPED;
            }

            @Override
            public java.util.OptionalLong initPid(Path p, String name) {
                return java.util.OptionalLong.empty();
            }
        };
        Lifecycle live = new Lifecycle(SystemConfig.defaults(), backends, LinesConfig::parse, running, e -> { },
                tmp.resolve("no-lxc-templates"));
        ContainerBusyException refused = assertThrows(ContainerBusyException.class,
                () -> live.copy(CopyRequest.of(lxcpath, "c1", "r1")));
        assertEquals("Original container (c1) is running. Use --allowrunning if you want to force a snapshot of the "
                + "running container", refused.getMessage());
        assertThrows(ContainerBusyException.class, () -> live.snapshot(lxcpath, "c1", Optional.empty()));
        assertFalse(Files.exists(lxcpath.resolve("r1")));

        live.copy(new CopyRequest(lxcpath, "c1", lxcpath, "r1", false, List.of(), Map.of(), false, false, List.of(),
                List.of(), true));
        assertTrue(Files.isRegularFile(lxcpath.resolve("r1/rootfs/data")));
    }

    private CopyRequest snapshotClone(String name) {
        return new CopyRequest(lxcpath, "c1", lxcpath, name, true, List.of(), Map.of(), false, false, List.of(),
                List.of());
    }

    private static List<String> names(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
