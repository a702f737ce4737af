package org.lxj.storage.btrfs.internal;

import java.nio.file.Path;
import java.util.Set;

import org.lxj.linux.Btrfs;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.TreeCopy;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageCopyRequest;
import org.lxj.spi.storage.StorageRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code btrfs} storage backend, LXC's {@code btrfs.c}: a rootfs is a subvolume
 * {@code <containerDir>/rootfs}, written as {@code btrfs:/var/lib/lxj/c1/rootfs}. An unprefixed path is this
 * backend's when it is a subvolume (inode 256 on btrfs). Made, snapshotted and deleted through ioctls.
 * <p>
 * It ranks first, as in LXC's {@code -B best} order (btrfs, zfs, lvm, dir): its {@code create} fails unless
 * the container directory is on btrfs, so {@code best} falls through to the next backend elsewhere.
 */
@Component(service = StorageBackend.class,
        property = {Backend.TYPE_PROPERTY + "=" + BtrfsSubvolumes.TYPE,
                "service.ranking:Integer=" + BtrfsStorageBackend.RANKING})
public final class BtrfsStorageBackend implements StorageBackend {

    static final int RANKING = 30;

    private static final Logger LOG = LoggerFactory.getLogger(BtrfsStorageBackend.class);

    private final Syscalls sys;
    private final BtrfsSubvolumes subvolumes;

    @Activate
    public BtrfsStorageBackend(@Reference Syscalls sys) {
        this.sys = sys;
        this.subvolumes = new BtrfsSubvolumes(new Btrfs(sys));
    }

    @Override
    public String type() {
        return BtrfsSubvolumes.TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        return Detection.available("subvolumes are made where the container directory is on btrfs");
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of(StorageCapability.SNAPSHOT, StorageCapability.CLONE);
    }

    @Override
    public boolean owns(String rootfsPath) {
        if (rootfsPath.startsWith(BtrfsSubvolumes.PREFIX)) {
            return true;
        }
        return rootfsPath.startsWith("/") && subvolumes.btrfs().isSubvolume(Path.of(rootfsPath));
    }

    @Override
    public String create(StorageRequest request) {
        Path dest = request.containerDir().resolve("rootfs");
        subvolumes.create(dest);
        LOG.debug("{}: created subvolume \"{}\"", request.containerName(), dest);
        return BtrfsSubvolumes.PREFIX + dest;
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        Path dir = BtrfsSubvolumes.directoryOf(rootfsPath);
        if (!subvolumes.btrfs().isSubvolume(dir)) {
            throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": \"" + dir
                    + "\" is not a btrfs subvolume");
        }
        return new MountedRootfs(dir, false);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        // mount() mounted nothing: the rootfs is the subvolume itself
    }

    /**
     * A new subvolume {@code <containerDir>/rootfs} filled with a full copy of the source ({@link TreeCopy}); a
     * failed copy deletes it. A snapshot of a btrfs source is the snapshot provider's job, not this one's.
     */
    @Override
    public String copy(StorageCopyRequest request) {
        Path dest = request.containerDir().resolve("rootfs");
        subvolumes.create(dest);
        try {
            TreeCopy.Result r = new TreeCopy(sys).copy(request.sourceMounted(), dest);
            LOG.debug("{}: copied \"{}\" into subvolume \"{}\" ({} entries, {} bytes)", request.containerName(),
                    request.sourceMounted(), dest, r.entries(), r.bytes());
        } catch (RuntimeException e) {
            try {
                subvolumes.delete(dest);
            } catch (BackendException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new BackendException("Failed to copy rootfs \"" + request.sourceRootfsPath() + "\" to \""
                    + dest + "\": " + e.getMessage(), e);
        }
        return BtrfsSubvolumes.PREFIX + dest;
    }

    @Override
    public void destroy(String rootfsPath) {
        Path dir = BtrfsSubvolumes.directoryOf(rootfsPath);
        try {
            sys.lstat(dir.toString());
        } catch (SyscallException e) {
            return; // already gone
        }
        subvolumes.delete(dir);
        LOG.debug("Destroyed subvolume \"{}\"", dir);
    }
}
