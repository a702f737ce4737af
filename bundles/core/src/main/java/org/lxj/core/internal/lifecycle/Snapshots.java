package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerNotFoundException;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.api.SnapshotInfo;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.layout.OneDeviceRemover;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-snapshot}: a snapshot is a container {@code snapN} in {@code <container>/snaps}, cloned with the name,
 * MAC addresses and storage type kept; its {@code ts} and {@code comment} are written while it is still partial, so
 * an interrupted snapshot is never listed and the next command removes it.
 */
final class Snapshots {
    private static final Logger LOG = LoggerFactory.getLogger(Snapshots.class);
    /** {@code lxc-snapshot -d ALL}. */
    static final String ALL = "ALL";

    private final Cloner cloner;
    private final ContainerDestroyer destroyer;
    private final LeftoverSweeper sweeper;
    private final StorageChoice storage;
    private final OneDeviceRemover remover;
    private final Function<Path, ContainerConfig> parser;
    private final StateStore states;

    Snapshots(Cloner cloner, ContainerDestroyer destroyer, LeftoverSweeper sweeper, StorageChoice storage,
            OneDeviceRemover remover, Function<Path, ContainerConfig> parser, StateStore states) {
        this.cloner = cloner;
        this.destroyer = destroyer;
        this.sweeper = sweeper;
        this.storage = storage;
        this.remover = remover;
        this.parser = parser;
        this.states = states;
    }

    String create(Path lxcpath, String name, Optional<Path> commentFile) {
        LxcLayout c = defined(lxcpath, name);
        Optional<byte[]> comment = commentFile.map(Snapshots::readComment);
        RootfsCloner.ensureDirectory(c.snaps());
        sweeper.sweep(c.snaps());
        String snap = SnapshotFiles.nextName(c.snaps());
        LxcLayout target = new LxcLayout(c.snaps(), snap);
        cloner.make(new Cloner.Spec(c, target, Cloner.Kind.SNAPSHOT, List.of(), Map.of(), true, true, List.of(),
                List.of(), false, false), t -> {
                    write(t.dir().resolve(SnapshotFiles.TS),
                            SnapshotFiles.timestamp(LocalDateTime.now()).getBytes(StandardCharsets.UTF_8));
                    comment.ifPresent(b -> write(t.dir().resolve(SnapshotFiles.COMMENT), b));
                });
        LOG.info("{}: snapshot \"{}\" taken in \"{}\"", name, snap, c.snaps());
        return snap;
    }

    List<SnapshotInfo> list(Path lxcpath, String name) {
        LxcLayout c = defined(lxcpath, name);
        sweeper.sweep(c.snaps());
        return SnapshotFiles.list(c.snaps());
    }

    /** Restores {@code snap} as {@code newName}; over the container itself when that is its own name. */
    LxcLayout restore(Path lxcpath, String name, String snap, String newName) {
        LxcLayout c = defined(lxcpath, name);
        LxcLayout s = snapshot(c, snap);
        if (!Bookkeeping.pairs(c.lxcSnapshots()).stream().allMatch(p -> p.lxcpath().equals(c.snaps()))) {
            throw new ContainerBusyException("Failed to restore \"" + snap + "\" of \"" + name
                    + "\": container rootfs has dependent snapshots");
        }
        boolean inPlace = newName.equals(name) && c.lxcpath().equals(new LxcLayout(lxcpath, newName).lxcpath());
        LxcLayout target = new LxcLayout(c.lxcpath(), newName);
        if (inPlace) {
            if (states.state(c.lxcpath(), name).isActive()) {
                throw new ContainerBusyException("Failed to restore \"" + snap + "\" over \"" + name + "\": it is "
                        + states.state(c.lxcpath(), name));
            }
            clearForRestore(c);
        }
        cloner.make(new Cloner.Spec(s, target, Cloner.Kind.RESTORE, List.of(), Map.of(), inPlace, inPlace,
                List.of(), List.of(), inPlace, false), t -> { });
        LOG.info("{}: snapshot \"{}\" restored as \"{}\"", name, snap, newName);
        return target;
    }

    /** LXC's restore over the original: its rootfs and files go, its {@code snaps} stay. */
    private void clearForRestore(LxcLayout c) {
        parser.apply(c.config()).rootfsPath().map(String::trim).filter(v -> !v.isEmpty())
                .ifPresent(r -> storage.requireOwner(c.name(), r).destroy(r));
        remover.removeContents(c.dir(), p -> p.getFileName().toString().equals(LxcLayout.SNAPS));
    }

    void destroy(Path lxcpath, String name, String snap) {
        LxcLayout c = defined(lxcpath, name);
        sweeper.sweep(c.snaps());
        if (snap.equals(ALL)) {
            for (SnapshotInfo s : SnapshotFiles.list(c.snaps())) {
                destroyer.destroy(c.snaps(), s.name(), DestroyOptions.DEFAULT);
            }
        } else {
            snapshot(c, snap);
            destroyer.destroy(c.snaps(), snap, DestroyOptions.DEFAULT);
        }
        try {
            Files.deleteIfExists(c.snaps());
        } catch (DirectoryNotEmptyException e) {
            // other snapshots remain
        } catch (IOException e) {
            throw new LxjException("Failed to remove \"" + c.snaps() + "\": " + e, e);
        }
        LOG.info("{}: snapshot \"{}\" destroyed", name, snap);
    }

    private static LxcLayout defined(Path lxcpath, String name) {
        LxcLayout c = new LxcLayout(lxcpath, name);
        if (!c.isDefined()) {
            throw new ContainerNotFoundException(name, c.lxcpath());
        }
        return c;
    }

    private static LxcLayout snapshot(LxcLayout c, String snap) {
        LxcLayout s = new LxcLayout(c.snaps(), snap);
        if (!s.isDefined()) {
            throw new ContainerNotFoundException(snap, c.snaps());
        }
        return s;
    }

    private static byte[] readComment(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new LxjException("Failed to read comment file \"" + file + "\": no such file", e);
        } catch (IOException e) {
            throw new LxjException("Failed to read comment file \"" + file + "\": " + e, e);
        }
    }

    private static void write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new LxjException("Failed to write \"" + file + "\": " + e, e);
        }
    }
}
