package org.lxj.spi.snapshot;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;

/**
 * The rootfs to snapshot, described by what its storage backend says about it; a provider decides from
 * these facts, never from a type name other than its own.
 *
 * @param containerName the source container's name
 * @param rootfsPath    its {@code lxc.rootfs.path} value
 * @param storageType   the {@link StorageBackend#type()} that owns it
 * @param storageCapabilities what that backend can do
 * @param storage       that backend, for providers that copy through {@link StorageBackend#copy}
 * @param mounted       the rootfs contents as a directory, mounted by core for the operation; for a provider that
 *                      {@linkplain SnapshotProvider#worksUnmounted works unmounted}, and while core chooses, the
 *                      directory where core would mount it, which is not mounted
 */
public record SnapshotSource(String containerName, String rootfsPath, String storageType,
        Set<StorageCapability> storageCapabilities, StorageBackend storage, Path mounted) {

    public SnapshotSource {
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(rootfsPath, "rootfsPath");
        Objects.requireNonNull(storageType, "storageType");
        storageCapabilities = Set.copyOf(storageCapabilities);
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(mounted, "mounted");
    }
}
