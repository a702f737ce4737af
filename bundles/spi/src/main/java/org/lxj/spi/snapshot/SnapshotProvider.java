package org.lxj.spi.snapshot;

import org.lxj.spi.backend.Backend;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Makes and restores snapshots of a container's rootfs ({@code lxc-snapshot}, {@code lxc-copy -s}). A separate
 * service from storage, so core asks "who can snapshot this rootfs?" instead of testing type names:
 * <ol>
 * <li>candidates are the available providers whose {@link #canSnapshot} is true for the source;</li>
 * <li>{@link SnapshotKind#COPY_ON_WRITE} beats {@link SnapshotKind#COPY}, then {@code service.ranking};</li>
 * <li>the {@code copy} provider (lowest ranking) can snapshot any rootfs whose backend has
 * {@link org.lxj.spi.storage.StorageCapability#CLONE}: it calls that backend's {@code copy} into the target,
 * which keeps the storage type, as LXC does for {@code dir} and {@code loop};</li>
 * <li>the storage bundles that can do copy-on-write register their own provider (btrfs snapshots a btrfs
 * subvolume; overlay snapshots a {@code dir} rootfs as an {@code overlay:} clone for {@code lxc-copy -s}, the
 * one documented fallback rule in core).</li>
 * </ol>
 * If no provider can, the operation fails with {@link org.lxj.api.UnsupportedFeatureException}
 * ({@code backing store cannot be backed up}). The source container is stopped, or frozen by core, for the
 * duration of a {@link #snapshot} call.
 */
@ConsumerType
public interface SnapshotProvider extends Backend {

    /** How this provider makes snapshots. */
    SnapshotKind kind();

    /** Whether this provider can snapshot {@code source} on this host. Cheap; changes nothing. */
    boolean canSnapshot(SnapshotSource source);

    /**
     * Whether this provider makes a snapshot or restore of {@code source} from its {@code lxc.rootfs.path} alone,
     * without its contents mounted (an overlay reads its layers' directories, btrfs snapshots the subvolume by
     * path). When true for the provider core chooses, core skips mounting and unmounting the source: the
     * {@link SnapshotSource#mounted()} it passes is then the directory where it would have mounted it, which is
     * the rootfs itself only when the backend hands out a directory in place. Cheap; changes nothing. The default,
     * false, keeps the source mounted for the call.
     *
     * @since 1.1
     */
    default boolean worksUnmounted(SnapshotSource source) {
        return false;
    }

    /**
     * Makes a snapshot of {@code source} in {@code target}. A failure removes what was made.
     *
     * @throws org.lxj.spi.backend.BackendException naming what failed
     */
    SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target);

    /**
     * Makes a new rootfs in {@code target} from a snapshot this provider made ({@code lxc-snapshot -r}); the
     * snapshot stays. Restoring over the original container is core's job: it destroys the original's rootfs
     * first and then restores into its directory.
     *
     * @param snapshot the snapshot's {@code lxc.rootfs.path} and mounted contents
     */
    SnapshotResult restore(SnapshotSource snapshot, SnapshotTarget target);

    /** Removes a snapshot this provider made. One already gone is not an error. */
    void destroy(String snapshotRootfsPath);
}
