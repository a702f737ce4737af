package org.lxj.storage.btrfs.internal;

import java.nio.file.Path;

import org.lxj.linux.Btrfs;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copy-on-write snapshots of btrfs rootfs: {@code <target>/rootfs} becomes a writable snapshot subvolume of the
 * source's ({@code BTRFS_IOC_SNAP_CREATE_V2}), independent of it afterwards, so nothing depends on the source.
 * A restore is a snapshot of the snapshot.
 */
@Component(service = SnapshotProvider.class,
        property = {Backend.TYPE_PROPERTY + "=" + BtrfsSubvolumes.TYPE,
                "service.ranking:Integer=" + BtrfsStorageBackend.RANKING})
public final class BtrfsSnapshotProvider implements SnapshotProvider {

    private static final Logger LOG = LoggerFactory.getLogger(BtrfsSnapshotProvider.class);

    private final Syscalls sys;
    private final BtrfsSubvolumes subvolumes;

    @Activate
    public BtrfsSnapshotProvider(@Reference Syscalls sys) {
        this.sys = sys;
        this.subvolumes = new BtrfsSubvolumes(new Btrfs(sys));
    }

    @Override
    public String type() {
        return BtrfsSubvolumes.TYPE;
    }

    @Override
    public SnapshotKind kind() {
        return SnapshotKind.COPY_ON_WRITE;
    }

    /** A btrfs rootfs whose directory is a subvolume. */
    @Override
    public boolean canSnapshot(SnapshotSource source) {
        if (!source.storageType().equals(BtrfsSubvolumes.TYPE)) {
            return false;
        }
        try {
            return subvolumes.btrfs().isSubvolume(BtrfsSubvolumes.directoryOf(source.rootfsPath()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The snapshot ioctl takes the subvolume by path: the source need not be mounted. */
    @Override
    public boolean worksUnmounted(SnapshotSource source) {
        return canSnapshot(source);
    }

    @Override
    public SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target) {
        Path from = BtrfsSubvolumes.directoryOf(source.rootfsPath());
        Path dest = target.dir().resolve("rootfs");
        subvolumes.snapshot(from, dest);
        LOG.debug("{}: snapshot \"{}\" of \"{}\"", source.containerName(), dest, from);
        return new SnapshotResult(BtrfsSubvolumes.PREFIX + dest, false);
    }

    @Override
    public SnapshotResult restore(SnapshotSource snapshot, SnapshotTarget target) {
        return snapshot(snapshot, target);
    }

    @Override
    public void destroy(String snapshotRootfsPath) {
        Path dir = BtrfsSubvolumes.directoryOf(snapshotRootfsPath);
        try {
            sys.lstat(dir.toString());
        } catch (SyscallException e) {
            return;
        }
        subvolumes.delete(dir);
    }
}
