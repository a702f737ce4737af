package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerExistsException;
import org.lxj.api.ContainerNotFoundException;
import org.lxj.api.CopyRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.layout.OneDeviceRemover;
import org.lxj.core.internal.lock.ClaimRegistry;
import org.lxj.core.internal.lock.PartialClaim;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-copy} without {@code -e}, and the engine behind snapshots and restores: a new container directory made
 * and marked {@code partial} for the whole operation, its rootfs made by {@link RootfsCloner}, its config written at
 * once (so an interrupted clone is a leftover whose rootfs the next command removes), the hostname, the clone hooks,
 * LXC's {@code lxc_snapshots}/{@code lxc_rdepends} records, and the marker removed last.
 */
final class Cloner {
    private static final Logger LOG = LoggerFactory.getLogger(Cloner.class);

    /** How the new rootfs is made. */
    enum Kind {
        /** A full copy ({@code lxc-copy}). */
        COPY,
        /** A snapshot clone ({@code lxc-copy -s}). */
        SNAPSHOT_CLONE,
        /** A snapshot ({@code lxc-snapshot}). */
        SNAPSHOT,
        /** A restore from a snapshot ({@code lxc-snapshot -r}). */
        RESTORE
    }

    /** One clone to make. */
    record Spec(LxcLayout source, LxcLayout target, Kind kind, List<String> storageTypes,
            Map<String, String> storageOptions, boolean keepName, boolean keepMac, List<String> extraConfig,
            List<String> hookArguments, boolean existingDir, boolean allowRunning) {
    }

    private final Function<Path, ContainerConfig> parser;
    private final StorageChoice storage;
    private final RootfsCloner rootfs;
    private final LeftoverSweeper sweeper;
    private final ClaimRegistry claims;
    private final OneDeviceRemover remover;
    private final StateStore states;

    Cloner(Function<Path, ContainerConfig> parser, StorageChoice storage, RootfsCloner rootfs, LeftoverSweeper sweeper,
            ClaimRegistry claims, OneDeviceRemover remover, StateStore states) {
        this.parser = parser;
        this.storage = storage;
        this.rootfs = rootfs;
        this.sweeper = sweeper;
        this.claims = claims;
        this.remover = remover;
        this.states = states;
    }

    /** {@code lxc-copy}: a full copy, or a snapshot clone with {@code -s}. */
    LxcLayout copy(CopyRequest r) {
        LxcLayout source = new LxcLayout(r.lxcpath(), r.name());
        LxcLayout target = new LxcLayout(r.newLxcpath(), r.newName());
        List<String> types = r.storageTypes();
        if (types.isEmpty() && !r.snapshot() && !source.lxcpath().equals(target.lxcpath())) {
            types = storage.orDefault(List.of()); // LXC: a copy into another lxcpath gets the default type
        }
        make(new Spec(source, target, r.snapshot() ? Kind.SNAPSHOT_CLONE : Kind.COPY, types, r.storageOptions(),
                r.keepName(), r.keepMac(), r.extraConfig(), r.hookArguments(), false, r.allowRunning()), t -> { });
        LOG.info("{}: {} of \"{}\" created in \"{}\"", r.newName(), r.snapshot() ? "snapshot clone" : "copy", r.name(),
                target.lxcpath());
        return target;
    }

    /** Makes the clone {@code s}; {@code beforeRelease} adds files while the new container is still partial. */
    void make(Spec s, Consumer<LxcLayout> beforeRelease) {
        LxcLayout src = s.source();
        LxcLayout dst = s.target();
        if (!src.isDefined()) {
            throw new ContainerNotFoundException(src.name(), src.lxcpath());
        }
        if (!s.allowRunning() && states.state(src.lxcpath(), src.name()).isActive()) {
            // LXC's words
            throw new ContainerBusyException("Original container (" + src.name() + ") is running. Use "
                    + "--allowrunning if you want to force a snapshot of the running container");
        }
        List<String> lines = ConfigFiles.copiedLines(src.config());
        String srcRootfs = parser.apply(src.config()).rootfsPath().map(String::trim).filter(v -> !v.isEmpty())
                .orElseThrow(() -> new LxjException("Failed to clone \"" + src.name() + "\": it has no "
                        + "lxc.rootfs.path"));
        PartialClaim claim = s.existingDir() ? claimExisting(dst) : makeDirectory(dst);
        RootfsCloner.Made made = null;
        boolean done = false;
        try {
            // before the source is mounted: a kill from here on leaves a leftover whose sweeper unmounts it
            new CloneJournal(srcRootfs, src.rootfs(), new Bookkeeping.Pair(src.lxcpath(), src.name())).write(dst.dir());
            made = makeRootfs(s, srcRootfs);
            ConfigFiles.write(dst.config(), CloneConfig.rewrite(lines, made.rootfsPath(),
                    s.keepName() ? Optional.empty() : Optional.of(dst.name()), !s.keepMac(), src.dir(), dst.dir(),
                    s.extraConfig()));
            updateRootfs(s, made.rootfsPath());
            if (made.dependsOnSource()) {
                Bookkeeping.add(src.lxcSnapshots(), new Bookkeeping.Pair(dst.lxcpath(), dst.name()));
                Bookkeeping.add(dst.lxcRdepends(), new Bookkeeping.Pair(src.lxcpath(), src.name()));
            }
            beforeRelease.accept(dst);
            CloneJournal.remove(dst.dir());
            claim.release();
            done = true;
        } finally {
            if (!done) {
                undo(s, claim, made);
            }
            claim.close();
        }
    }

    private RootfsCloner.Made makeRootfs(Spec s, String srcRootfs) {
        LxcLayout src = s.source();
        LxcLayout dst = s.target();
        SnapshotTarget target = new SnapshotTarget(dst.name(), dst.dir(), s.storageOptions());
        return switch (s.kind()) {
            case COPY -> rootfs.copy(src.name(), srcRootfs, src.rootfs(), s.storageTypes(), dst.name(), dst.dir(),
                    s.storageOptions());
            case SNAPSHOT_CLONE -> s.storageTypes().isEmpty()
                    ? rootfs.snapshot(src.name(), srcRootfs, src.rootfs(), target, SnapshotChoice.Purpose.CLONE, false)
                    : rootfs.copy(src.name(), srcRootfs, src.rootfs(), s.storageTypes(), dst.name(), dst.dir(),
                            s.storageOptions());
            case SNAPSHOT -> rootfs.snapshot(src.name(), srcRootfs, src.rootfs(), target,
                    SnapshotChoice.Purpose.KEEP_TYPE, false);
            case RESTORE -> rootfs.snapshot(src.name(), srcRootfs, src.rootfs(), target,
                    SnapshotChoice.Purpose.KEEP_TYPE, true);
        };
    }

    /** The new hostname in {@code /etc/hostname} (unless kept) and the clone hooks, with the new rootfs mounted. */
    private void updateRootfs(Spec s, String newRootfs) {
        LxcLayout dst = s.target();
        ContainerConfig config = parser.apply(dst.config());
        List<List<String>> hooks = LifecycleHooks.argvs(config, LifecycleHooks.CLONE, dst.name(), s.hookArguments());
        if (s.keepName() && hooks.isEmpty()) {
            return;
        }
        rootfs.withMounted(dst.name(), newRootfs, dst.rootfs(), mounted -> {
            if (!s.keepName()) {
                writeHostname(mounted.resolve("etc/hostname"), dst.name());
            }
            Map<String, String> env = LifecycleHooks.env(dst.name(), dst.config(), mounted, newRootfs);
            env.put("LXC_SRC_NAME", s.source().name());
            LifecycleHooks.run(dst.name(), LifecycleHooks.CLONE, hooks, env);
            return null;
        });
    }

    /** LXC rewrites {@code /etc/hostname} only when the file exists, with the bare name. */
    private static void writeHostname(Path file, String name) {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.writeString(file, name + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LxjException("Failed to write \"" + file + "\": " + e, e);
        }
    }

    private PartialClaim makeDirectory(LxcLayout layout) {
        RootfsCloner.ensureDirectory(layout.lxcpath());
        sweeper.sweep(layout.lxcpath());
        try {
            Files.createDirectory(layout.dir(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwx---")));
        } catch (FileAlreadyExistsException e) {
            throw new ContainerExistsException(layout.name(), layout.lxcpath());
        } catch (IOException e) {
            throw new LxjException("Failed to create directory \"" + layout.dir() + "\": " + e, e);
        }
        return PartialClaim.acquire(claims, layout.dir())
                .orElseThrow(() -> new ContainerExistsException(layout.name(), layout.lxcpath()));
    }

    private PartialClaim claimExisting(LxcLayout layout) {
        return PartialClaim.acquire(claims, layout.dir()).orElseThrow(() -> new ContainerBusyException(
                "Failed to restore \"" + layout.name() + "\": another command holds it"));
    }

    private void undo(Spec s, PartialClaim claim, RootfsCloner.Made made) {
        LxcLayout dst = s.target();
        LOG.debug("{}: clone failed, removing what was made", dst.name());
        try {
            if (made != null) {
                if (made.dependsOnSource()) {
                    Bookkeeping.remove(s.source().lxcSnapshots(), new Bookkeeping.Pair(dst.lxcpath(), dst.name()));
                }
                rootfs.undo(dst.name(), made.rootfsPath());
            }
            remover.removeContents(dst.dir(), p -> p.getFileName().toString().equals(LxcLayout.PARTIAL)
                    || s.existingDir() && p.getFileName().toString().equals(LxcLayout.SNAPS));
            claim.release();
            if (!s.existingDir()) {
                Files.deleteIfExists(dst.dir());
            }
        } catch (RuntimeException | IOException e) {
            LOG.warn("{}: failed to remove the half-made clone (the next command retries): {}", dst.name(),
                    e.getMessage());
        }
    }

    /** {@code lxc-copy -R}: LXC's rename is a copy keeping the MAC addresses, then a destroy of the old name. */
    LxcLayout rename(java.nio.file.Path lxcpath, String name, String newName, ContainerDestroyer destroyer) {
        LxcLayout source = new LxcLayout(lxcpath, name);
        if (!Bookkeeping.pairs(source.lxcSnapshots()).isEmpty()
                || !SnapshotFiles.list(source.snaps()).isEmpty()) {
            throw new ContainerBusyException("Failed to rename \"" + name + "\": it has snapshots or clones");
        }
        LxcLayout target = new LxcLayout(lxcpath, newName);
        make(new Spec(source, target, Kind.COPY, List.of(), Map.of(), false, true, List.of(), List.of(), false,
                false), t -> { });
        destroyer.destroy(lxcpath, name, DestroyOptions.DEFAULT);
        LOG.info("{}: renamed to \"{}\"", name, newName);
        return target;
    }
}
