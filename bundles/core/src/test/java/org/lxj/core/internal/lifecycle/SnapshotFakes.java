package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.lxj.core.internal.layout.OneDeviceRemover;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageCopyRequest;
import org.lxj.spi.storage.StorageRequest;

/** Storage and snapshot fakes over plain directories for the snapshot and clone tests. */
final class SnapshotFakes {

    private SnapshotFakes() {
    }

    /** {@link FakeStorage} that can copy ({@link StorageCapability#CLONE}) into {@code <dir>/rootfs}. */
    static final class CopyingStorage extends FakeStorage {
        final List<String> copies = new CopyOnWriteArrayList<>();

        CopyingStorage(String type) {
            super(type);
        }

        @Override
        public Set<StorageCapability> capabilities() {
            return Set.of(StorageCapability.CLONE);
        }

        @Override
        public String copy(StorageCopyRequest request) {
            Path rootfs = request.containerDir().resolve("rootfs");
            copyTree(request.sourceMounted(), rootfs);
            copies.add(request.sourceRootfsPath());
            return type + ":" + rootfs;
        }
    }

    /** A copy provider as the snapshot.copy bundle's: through the source backend's copy. */
    static final class CopyProvider implements SnapshotProvider {
        @Override
        public String type() {
            return "copy";
        }

        @Override
        public SnapshotKind kind() {
            return SnapshotKind.COPY;
        }

        @Override
        public boolean canSnapshot(SnapshotSource source) {
            return source.storageCapabilities().contains(StorageCapability.CLONE);
        }

        @Override
        public SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target) {
            return new SnapshotResult(source.storage().copy(new StorageCopyRequest(source.rootfsPath(),
                    source.mounted(), target.name(), target.dir(), target.options(), java.util.OptionalLong.empty())),
                    false);
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

    /**
     * A copy-on-write layer, like overlay: {@code layer:<lower>:<upper>}, mounted as its upper directory (enough for
     * the tests, which write {@code /etc/hostname}); it layers over any source and depends on it.
     */
    static final class LayerStorage extends FakeStorage {
        LayerStorage() {
            super("layer");
        }

        @Override
        public MountedRootfs mount(String rootfsPath, Path target) {
            return new MountedRootfs(upper(rootfsPath), false);
        }

        @Override
        public void destroy(String rootfsPath) {
            destroyed.add(rootfsPath);
            new OneDeviceRemover().remove(upper(rootfsPath));
        }

        static Path upper(String rootfsPath) {
            return Path.of(rootfsPath.substring(rootfsPath.lastIndexOf(':') + 1));
        }

        @Override
        public String create(StorageRequest request) {
            throw new AssertionError("not used");
        }
    }

    /** The provider of {@link LayerStorage}: copy-on-write over any directory. */
    static final class LayerProvider implements SnapshotProvider {
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
            return !source.storageType().equals("layer");
        }

        @Override
        public SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target) {
            Path upper = target.dir().resolve("overlay/delta");
            try {
                Files.createDirectories(upper);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new SnapshotResult("layer:" + source.mounted() + ":" + upper, true);
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

    static void copyTree(Path from, Path to) {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
