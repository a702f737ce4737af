package org.lxj.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.CopyRequest;
import org.lxj.api.CreateRequest;
import org.lxj.api.config.SystemConfig;
import org.lxj.core.internal.layout.OneDeviceRemover;
import org.lxj.core.internal.lifecycle.SnapshotFakes.CopyProvider;
import org.lxj.core.internal.lifecycle.SnapshotFakes.CopyingStorage;
import org.lxj.core.internal.lifecycle.SnapshotFakes.LayerProvider;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.MountedRootfs;

/**
 * A snapshot provider that {@linkplain SnapshotProvider#worksUnmounted works unmounted} is served without a mount of
 * the source; one that does not gets the source mounted, as before (directory fakes, no root).
 */
class UnmountedSnapshotTest {

    @TempDir
    Path tmp;
    Path lxcpath;
    MountCountingLayers layer;
    TestBackends backends;
    Lifecycle runtime;

    @BeforeEach
    void setUp() throws IOException {
        lxcpath = tmp.resolve("lxc");
        layer = new MountCountingLayers();
        backends = new TestBackends().add(new CopyingStorage("dir"), 0).add(layer, 0)
                .add(new FakeTemplate("busybox")).add(new CopyProvider(), -1000).add(new LayerProvider(), 0);
        runtime = new Lifecycle(SystemConfig.defaults(), backends, LinesConfig::parse, new NothingRunsStateStore(),
                e -> { }, tmp.resolve("no-lxc-templates"));
        runtime.create(new CreateRequest(lxcpath, "c1", Optional.of("busybox"), Optional.empty(), List.of(),
                Map.of(), List.of()));
        runtime.copy(new CopyRequest(lxcpath, "c1", lxcpath, "k1", true, List.of(), Map.of(), false, false,
                List.of(), List.of()));
        Files.writeString(lxcpath.resolve("k1/overlay/delta/changed"), "k1's change");
        layer.mounts.clear();
    }

    @Test
    void aProviderThatWorksUnmountedIsServedWithoutMountingTheSource() throws IOException {
        LayerSnapshots provider = new LayerSnapshots(true);
        backends.add(provider, 0);

        assertEquals("snap0", runtime.snapshot(lxcpath, "k1", Optional.empty()));

        assertEquals(List.of(), layer.mounts, "the source is not mounted");
        assertEquals(List.of(lxcpath.resolve("k1/rootfs")), provider.seenMounted,
                "the provider is told the mount point it would have had");
        Path snap = lxcpath.resolve("k1/snaps/snap0");
        assertEquals("k1's change", Files.readString(snap.resolve("overlay/delta/changed")));
        assertTrue(Files.readString(snap.resolve("config")).contains("lxc.rootfs.path = layer:"
                + lxcpath.resolve("c1/rootfs") + ":" + snap.resolve("overlay/delta") + "\n"));
        assertEquals(List.of(new Bookkeeping.Pair(lxcpath.resolve("k1/snaps"), "snap0")),
                Bookkeeping.pairs(lxcpath.resolve("k1/lxc_snapshots")));
    }

    @Test
    void aProviderThatNeedsTheContentsGetsTheSourceMountedOnce() throws IOException {
        LayerSnapshots provider = new LayerSnapshots(false);
        backends.add(provider, 0);

        runtime.snapshot(lxcpath, "k1", Optional.empty());

        String k1 = "layer:" + lxcpath.resolve("c1/rootfs") + ":" + lxcpath.resolve("k1/overlay/delta");
        assertEquals(List.of(k1), layer.mounts);
        assertEquals(List.of(lxcpath.resolve("k1/overlay/delta")), provider.seenMounted,
                "the provider is told what the backend mounted");
        assertEquals("k1's change", Files.readString(lxcpath.resolve("k1/snaps/snap0/overlay/delta/changed")));
    }

    /** Layers as {@code layer:<lower>:<upper>}, mounted as the upper; records every mount. */
    static final class MountCountingLayers extends FakeStorage {
        final List<String> mounts = new CopyOnWriteArrayList<>();

        MountCountingLayers() {
            super("layer");
        }

        @Override
        public MountedRootfs mount(String rootfsPath, Path target) {
            mounts.add(rootfsPath);
            return new MountedRootfs(SnapshotFakes.LayerStorage.upper(rootfsPath), false);
        }

        @Override
        public void destroy(String rootfsPath) {
            destroyed.add(rootfsPath);
            new OneDeviceRemover().remove(SnapshotFakes.LayerStorage.upper(rootfsPath));
        }
    }

    /** Snapshots a layer as overlay does: a copy of its upper over the same lower, by path. */
    static final class LayerSnapshots implements SnapshotProvider {
        final boolean unmounted;
        final List<Path> seenMounted = new CopyOnWriteArrayList<>();

        LayerSnapshots(boolean unmounted) {
            this.unmounted = unmounted;
        }

        @Override
        public String type() {
            return "layer";
        }

        @Override
        public SnapshotKind kind() {
            return SnapshotKind.COPY_ON_WRITE;
        }

        @Override
        public boolean canSnapshot(SnapshotSource source) {
            return source.storageType().equals("layer");
        }

        @Override
        public boolean worksUnmounted(SnapshotSource source) {
            return unmounted;
        }

        @Override
        public SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target) {
            seenMounted.add(source.mounted());
            String value = source.rootfsPath();
            String lower = value.substring("layer:".length(), value.lastIndexOf(':'));
            Path upper = target.dir().resolve("overlay/delta");
            try {
                Files.createDirectories(upper.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            SnapshotFakes.copyTree(SnapshotFakes.LayerStorage.upper(value), upper);
            return new SnapshotResult("layer:" + lower + ":" + upper, true);
        }

        @Override
        public SnapshotResult restore(SnapshotSource snapshot, SnapshotTarget target) {
            return snapshot(snapshot, target);
        }

        @Override
        public void destroy(String snapshotRootfsPath) {
            throw new AssertionError("core destroys snapshots through their storage backend");
        }
    }
}
