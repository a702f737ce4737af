package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import org.lxj.api.LxjException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.layout.OneDeviceRemover;
import org.lxj.core.internal.lock.ClaimRegistry;
import org.lxj.core.internal.lock.PartialClaim;
import org.lxj.spi.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes what an interrupted creation, removal, clone or snapshot left: a container directory whose
 * {@code partial} marker nobody holds. The killed command's mounts go first: the source rootfs a clone had mounted
 * (its {@link CloneJournal}, unless the source is running now) and everything mounted inside the directory. Then
 * its rootfs goes through the storage backend its config names; without a readable config only the directory is
 * removed, on its own device.
 */
final class LeftoverSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverSweeper.class);

    private final ClaimRegistry claims;
    private final Function<Path, ContainerConfig> parser;
    private final StorageChoice storage;
    private final OneDeviceRemover remover;
    private final HostMounts mounts;
    private final StateStore states;

    LeftoverSweeper(ClaimRegistry claims, Function<Path, ContainerConfig> parser, StorageChoice storage,
            OneDeviceRemover remover, HostMounts mounts, StateStore states) {
        this.claims = claims;
        this.parser = parser;
        this.storage = storage;
        this.remover = remover;
        this.mounts = mounts;
        this.states = states;
    }

    /** Sweeps every leftover in {@code lxcpath}; a missing lxcpath has none. */
    void sweep(Path lxcpath) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(lxcpath)) {
            for (Path dir : dirs) {
                sweepIfMarked(dir);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // no lxcpath, no leftovers
        } catch (IOException e) {
            throw new LxjException("Failed to read directory \"" + lxcpath + "\": " + e, e);
        }
    }

    /** Removes {@code dir} if it carries the marker of an unfinished creation or removal and is a leftover. */
    boolean sweepIfMarked(Path dir) {
        return Files.exists(dir.resolve(LxcLayout.PARTIAL), LinkOption.NOFOLLOW_LINKS) && sweepOne(dir);
    }

    /** Removes {@code dir} if it is a leftover; returns whether it did. */
    boolean sweepOne(Path dir) {
        Optional<PartialClaim> adopted = PartialClaim.adoptLeftover(claims, dir);
        if (adopted.isEmpty()) {
            return false;
        }
        String name = dir.getFileName().toString();
        try (PartialClaim claim = adopted.get()) {
            LOG.info("{}: removing what an interrupted creation or removal left in \"{}\"", name, dir);
            unmountSource(name, dir);
            for (Path m : mounts.detachBelow(dir)) {
                LOG.info("{}: detached \"{}\", left mounted by the interrupted command", name, m);
            }
            destroyRootfs(name, dir.resolve(LxcLayout.CONFIG));
            // snapshots are containers of their own: an interrupted restore over the original keeps them, as LXC
            remover.removeContents(dir, p -> p.getFileName().toString().equals(LxcLayout.PARTIAL)
                    || p.getFileName().toString().equals(LxcLayout.SNAPS) && hasSnapshots(p));
            claim.release();
            if (!Files.isDirectory(dir.resolve(LxcLayout.SNAPS), LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(dir);
            }
            return true;
        } catch (LxjException | IOException e) {
            // The marker stays: the next command tries again, and the leftover stays hidden meanwhile.
            LOG.warn("{}: failed to remove the leftover \"{}\": {}", name, dir, e.getMessage());
            return false;
        }
    }

    private static boolean hasSnapshots(Path snaps) {
        return !SnapshotFiles.list(snaps).isEmpty();
    }

    /** The source rootfs a killed clone had mounted, unless it is in use by a container started since. */
    private void unmountSource(String name, Path dir) {
        Optional<CloneJournal> journal = CloneJournal.read(dir);
        if (journal.isEmpty() || !mounts.isMountPoint(journal.get().mountTarget())) {
            return;
        }
        CloneJournal j = journal.get();
        if (states.state(j.source().lxcpath(), j.source().name()).isActive()) {
            LOG.warn("{}: \"{}\" is running now; its rootfs mount \"{}\" stays", name, j.source().name(),
                    j.mountTarget());
            return;
        }
        Optional<StorageBackend> owner = storage.owner(j.rootfs());
        if (owner.isEmpty()) {
            LOG.warn("{}: no installed storage backend handles rootfs \"{}\"; \"{}\" stays mounted", name,
                    j.rootfs(), j.mountTarget());
            return;
        }
        owner.get().unmount(j.rootfs(), j.mountTarget());
        LOG.info("{}: unmounted \"{}\" of \"{}\", left mounted by the interrupted command", name,
                j.mountTarget(), j.source().name());
    }

    private void destroyRootfs(String name, Path config) {
        if (!Files.isRegularFile(config)) {
            return;
        }
        Optional<String> rootfs;
        try {
            rootfs = parser.apply(config).rootfsPath();
        } catch (LxjException e) {
            LOG.warn("{}: the leftover's config is unreadable ({}); removing its directory only", name,
                    e.getMessage());
            return;
        }
        if (rootfs.isEmpty()) {
            return;
        }
        Optional<StorageBackend> owner = storage.owner(rootfs.get());
        if (owner.isEmpty()) {
            LOG.warn("{}: no installed storage backend handles rootfs \"{}\"; removing the directory only", name,
                    rootfs.get());
            return;
        }
        owner.get().destroy(rootfs.get());
    }
}
