package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import org.lxj.api.LxjException;
import org.lxj.core.internal.select.BackendSelector;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCopyRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the rootfs of a clone, snapshot or restored container from a source rootfs: the source is mounted through
 * its own backend for the operation (unless the chosen snapshot provider
 * {@linkplain SnapshotProvider#worksUnmounted works unmounted}), and either a snapshot provider (chosen by {@link SnapshotChoice}) or a storage
 * backend's {@code copy} makes the new one. What it made is undone through the storage backend that owns it.
 */
final class RootfsCloner {
    private static final Logger LOG = LoggerFactory.getLogger(RootfsCloner.class);

    /** A made rootfs. */
    record Made(String rootfsPath, boolean dependsOnSource) {
    }

    private final Backends backends;
    private final StorageChoice storage;
    private final SnapshotChoice choice;
    private final BackendSelector<StorageBackend> selector = new BackendSelector<>("storage");

    RootfsCloner(Backends backends, StorageChoice storage) {
        this.backends = backends;
        this.storage = storage;
        this.choice = new SnapshotChoice(backends);
    }

    /** A snapshot ({@code restore} false) or a restore of {@code rootfs} into {@code target}. */
    Made snapshot(String name, String rootfs, Path mountTarget, SnapshotTarget target, SnapshotChoice.Purpose purpose,
            boolean restore) {
        // A provider that needs only the rootfs value (overlay, btrfs) is served without mounting the source.
        StorageBackend owner = storage.requireOwner(name, rootfs);
        SnapshotSource unmounted = new SnapshotSource(name, rootfs, owner.type(), owner.capabilities(), owner,
                mountTarget);
        Optional<SnapshotProvider> direct = choice.chooseUnmounted(unmounted, purpose);
        if (direct.isPresent()) {
            return snapshotWith(direct.get(), unmounted, target, restore);
        }
        return withSource(name, rootfs, mountTarget,
                src -> snapshotWith(choice.choose(src, purpose), src, target, restore));
    }

    private static Made snapshotWith(SnapshotProvider p, SnapshotSource src, SnapshotTarget target, boolean restore) {
        long began = System.nanoTime();
        SnapshotResult r = restore ? p.restore(src, target) : p.snapshot(src, target);
        LOG.debug("{}: {} \"{}\" by provider \"{}\" into \"{}\" in {} ms", src.containerName(),
                restore ? "restored" : "snapshot", src.rootfsPath(), p.type(), r.rootfsPath(),
                (System.nanoTime() - began) / 1_000_000);
        return new Made(r.rootfsPath(), r.dependsOnSource());
    }

    /**
     * A full copy of {@code rootfs} by the first of {@code types} that can copy; empty {@code types}: the
     * source's own type.
     */
    Made copy(String name, String rootfs, Path mountTarget, List<String> types, String newName, Path newDir,
            Map<String, String> options) {
        return withSource(name, rootfs, mountTarget, src -> {
            List<StorageBackend> candidates = types.isEmpty() ? List.of(src.storage())
                    : selector.candidates(backends.storage(), types, backends.host());
            LxjException failure = null;
            for (StorageBackend b : candidates) {
                try {
                    long began = System.nanoTime();
                    String made = b.copy(new StorageCopyRequest(rootfs, src.mounted(), newName, newDir, options,
                            OptionalLong.empty()));
                    LOG.info("{}: copied \"{}\" to \"{}\" with storage backend \"{}\" in {} ms", newName, rootfs, made,
                            b.type(), (System.nanoTime() - began) / 1_000_000);
                    return new Made(made, false);
                } catch (LxjException e) {
                    LOG.warn("{}: storage backend \"{}\" failed to copy \"{}\": {}", newName, b.type(), rootfs,
                            e.getMessage());
                    if (failure != null) {
                        e.addSuppressed(failure);
                    }
                    failure = e;
                }
            }
            throw failure;
        });
    }

    /** Removes a rootfs this class made, through its owner. */
    void undo(String name, String rootfsPath) {
        storage.requireOwner(name, rootfsPath).destroy(rootfsPath);
    }

    /** Runs {@code fn} with {@code rootfs} available as a directory (mounted on {@code where} when needed). */
    <T> T withMounted(String name, String rootfs, Path where, Function<Path, T> fn) {
        StorageBackend owner = storage.requireOwner(name, rootfs);
        ensureDirectory(where);
        MountedRootfs m = owner.mount(rootfs, where);
        try {
            return fn.apply(m.path());
        } finally {
            if (m.needsUnmount()) {
                owner.unmount(rootfs, where);
            }
        }
    }

    private <T> T withSource(String name, String rootfs, Path where, Function<SnapshotSource, T> fn) {
        StorageBackend owner = storage.requireOwner(name, rootfs);
        return withMounted(name, rootfs, where, path -> fn.apply(
                new SnapshotSource(name, rootfs, owner.type(), owner.capabilities(), owner, path)));
    }

    static void ensureDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new LxjException("Failed to create directory \"" + dir + "\": " + e, e);
            }
        }
    }
}
