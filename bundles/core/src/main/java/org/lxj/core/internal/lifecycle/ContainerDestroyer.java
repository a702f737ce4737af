package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerNotFoundException;
import org.lxj.api.ContainerState;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.layout.OneDeviceRemover;
import org.lxj.core.internal.lock.ClaimRegistry;
import org.lxj.core.internal.lock.PartialClaim;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-destroy}: claims the container with its {@code partial} marker (it disappears from listings), refuses
 * while it runs, has clones, or has snapshots without {@code -s}; then removes the rootfs through the backend that
 * owns it and the directory on its own device. Once the rootfs is gone the marker stays until the end, so an
 * interrupted destroy is finished by the next command as a leftover.
 */
final class ContainerDestroyer {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerDestroyer.class);

    private final Function<Path, ContainerConfig> parser;
    private final StorageChoice storage;
    private final ClaimRegistry claims;
    private final OneDeviceRemover remover;
    private final StateStore states;
    private final EventSink events;
    private final HostMounts mounts;

    ContainerDestroyer(Function<Path, ContainerConfig> parser, StorageChoice storage, ClaimRegistry claims,
            OneDeviceRemover remover, StateStore states, EventSink events, HostMounts mounts) {
        this.mounts = mounts;
        this.parser = parser;
        this.storage = storage;
        this.claims = claims;
        this.remover = remover;
        this.states = states;
        this.events = events;
    }

    void destroy(Path lxcpath, String name, DestroyOptions options) {
        LxcLayout layout = new LxcLayout(lxcpath, name);
        if (!layout.isDefined()) {
            if (layout.hasPartial() && Files.isRegularFile(layout.config())) {
                throw new ContainerBusyException("Failed to destroy \"" + name + "\": it is being created or "
                        + "destroyed by another command");
            }
            throw new ContainerNotFoundException(name, layout.lxcpath());
        }
        PartialClaim claim = PartialClaim.acquire(claims, layout.dir()).orElseThrow(() -> new ContainerBusyException(
                "Failed to destroy \"" + name + "\": it is being created or destroyed by another command"));
        boolean pastReturn = false;
        try {
            refuseIfBusy(layout, options);
            Optional<String> rootfs = parser.apply(layout.config()).rootfsPath();
            if (options.snapshots()) {
                destroySnapshots(layout, options);
            }
            // a stopped container has nothing mounted inside its directory but what a failed start or a killed
            // command left (lxc-copy -t's tmpfs when its post-stop hook did not run)
            for (Path m : mounts.detachBelow(layout.dir())) {
                LOG.warn("{}: detached \"{}\", left mounted in the container's directory", name, m);
            }
            if (rootfs.isPresent()) {
                runDestroyHooks(layout, rootfs.get());
                storage.requireOwner(name, rootfs.get()).destroy(rootfs.get());
                LOG.debug("{}: rootfs \"{}\" destroyed", name, rootfs.get());
            }
            pastReturn = true;
            forgetOrigin(layout);
            remover.removeContents(layout.dir(), p -> p.getFileName().toString().equals(LxcLayout.PARTIAL));
            claim.release();
            Files.deleteIfExists(layout.dir());
        } catch (IOException e) {
            throw new LxjException("Failed to remove \"" + layout.dir() + "\": " + e, e);
        } finally {
            if (!pastReturn) {
                claim.release();
            }
            claim.close();
        }
        LOG.info("{}: destroyed in \"{}\"", name, layout.lxcpath());
        events.emit(new ContainerEvent(layout.lxcpath(), name, ContainerEvent.Kind.DESTROYED, ContainerState.STOPPED,
                OptionalInt.empty(), Instant.now()));
    }

    private void refuseIfBusy(LxcLayout layout, DestroyOptions options) {
        String name = layout.name();
        ContainerState state = states.state(layout.lxcpath(), name);
        if (state.isActive()) {
            throw new ContainerBusyException("Failed to destroy \"" + name + "\": it is " + state);
        }
        // with -s, dependents that are this container's own snapshots go first and are no obstacle
        if (Bookkeeping.pairs(layout.lxcSnapshots()).stream()
                .anyMatch(p -> !(options.snapshots() && p.lxcpath().normalize().equals(layout.snaps())))) {
            throw new ContainerBusyException("Destroying " + name + " failed: " + name + " has clones"); // LXC's words
        }
        if (!options.snapshots() && !snapshots(layout).isEmpty()) {
            throw new ContainerBusyException("Destroying " + name + " failed: " + name + " has snapshots");
        }
    }

    /** The snapshots: containers in {@code <dir>/snaps}. */
    private static List<String> snapshots(LxcLayout layout) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.snaps())) {
            for (Path d : dirs) {
                if (Files.isRegularFile(d.resolve(LxcLayout.CONFIG))) {
                    names.add(d.getFileName().toString());
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new LxjException("Failed to read directory \"" + layout.snaps() + "\": " + e, e);
        }
        names.sort(null);
        return names;
    }

    private void destroySnapshots(LxcLayout layout, DestroyOptions options) {
        for (String snap : snapshots(layout)) {
            LOG.debug("{}: destroying snapshot \"{}\"", layout.name(), snap);
            destroy(layout.snaps(), snap, options);
        }
    }

    /** A clone no longer depends on its origin: its two lines leave the origin's {@code lxc_snapshots}. */
    private static void forgetOrigin(LxcLayout layout) {
        for (Bookkeeping.Pair origin : Bookkeeping.pairs(layout.lxcRdepends())) {
            Path originSnapshots = origin.lxcpath().resolve(origin.name()).resolve(LxcLayout.LXC_SNAPSHOTS);
            Bookkeeping.remove(originSnapshots, new Bookkeeping.Pair(layout.lxcpath(), layout.name()));
        }
    }

    /** {@code lxc.hook.destroy}, before the rootfs goes, as LXC runs it (the rootfs is not mounted). */
    private void runDestroyHooks(LxcLayout layout, String rootfs) {
        java.util.List<java.util.List<String>> hooks = LifecycleHooks.argvs(parser.apply(layout.config()),
                LifecycleHooks.DESTROY, layout.name(), java.util.List.of());
        if (!hooks.isEmpty()) {
            LifecycleHooks.run(layout.name(), LifecycleHooks.DESTROY, hooks,
                    LifecycleHooks.env(layout.name(), layout.config(), layout.rootfs(), rootfs));
        }
    }
}
