package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.event.EventJournal;
import org.lxj.core.internal.lifecycle.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What containers leave in the run root besides their run directories: each one's lock file
 * {@code <root>/locks/<lxcpath-id>/<name>} and its lxcpath's event journal {@code <root>/<lxcpath-id>/events}.
 * A lock file goes when its container is destroyed, a journal (and its directory) when its lxcpath has no container
 * left; every runtime's start-up {@link #sweep} does the same for containers whose directory vanished without a
 * destroy ({@code rm -rf} of an lxcpath). Nothing is removed that a run directory refers to, and each file is removed
 * while holding its lock ({@link ContainerLocks} and {@link EventJournal} take a lock again when the path names
 * another file afterwards), so a concurrent create, start or event loses nothing.
 */
public final class RunLeftovers {
    private static final Logger LOG = LoggerFactory.getLogger(RunLeftovers.class);

    private final RunLayout layout;
    private final ContainerLocks locks;

    public RunLeftovers(RunLayout layout, ContainerLocks locks) {
        this.layout = layout;
        this.locks = locks;
    }

    /** {@code delegate}, after which the leftovers of each DESTROYED container are dropped. */
    public EventSink afterDestroy(EventSink delegate) {
        return event -> {
            delegate.emit(event);
            if (event.kind() == ContainerEvent.Kind.DESTROYED) {
                forget(event.lxcpath(), event.name());
            }
        };
    }

    /** Drops the lock file of the destroyed container {@code name}, and its lxcpath's journal if it was the last. */
    public void forget(Path lxcpath, String name) {
        Path abs = lxcpath.toAbsolutePath().normalize();
        String id = RunLayout.lxcpathId(abs);
        try {
            dropLock(id, name, Optional.of(abs));
            removeIfEmpty(locksOf(id));
            dropJournal(id, Optional.of(abs));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: failed to remove its run files in \"{}\": {}", name, layout.root(), e.toString());
        }
    }

    /**
     * At start-up: drops the lock files of containers whose directory is gone and the journals of lxcpaths with no
     * container left, unless a run directory refers to them. A journal of an older runtime names no lxcpath: it goes
     * once no run directory is beside it. Returns how many files were removed.
     */
    public int sweep() {
        Set<String> ids = new TreeSet<>();
        ids.addAll(lxcpathIds(layout.root()));
        ids.addAll(lxcpathIds(layout.root().resolve(RunLayout.LOCKS)));
        int removed = 0;
        for (String id : ids) {
            try {
                Optional<Path> lxcpath = EventJournal.lxcpath(layout.root().resolve(id).resolve(EventJournal.NAME));
                for (String name : names(locksOf(id))) {
                    removed += dropLock(id, name, lxcpath) ? 1 : 0;
                }
                removeIfEmpty(locksOf(id));
                removed += dropJournal(id, lxcpath) ? 1 : 0;
            } catch (IOException | RuntimeException e) {
                LOG.warn("Failed to sweep the run files of lxcpath-id {} in \"{}\": {}", id, layout.root(), e.toString());
            }
        }
        if (removed > 0) {
            LOG.debug("Removed {} lock file(s) and journal(s) of containers that are gone", removed);
        }
        return removed;
    }

    private Path locksOf(String id) {
        return layout.root().resolve(RunLayout.LOCKS).resolve(id);
    }

    /** Removes a lock file nobody holds, whose container has no run directory and, lxcpath known, no directory. */
    private boolean dropLock(String id, String name, Optional<Path> lxcpath) throws IOException {
        Path file = locksOf(id).resolve(name);
        Optional<ContainerLocks.Held> held = locks.tryLock(file, true);
        if (held.isEmpty()) {
            return false;   // a start, stop or cleanup is running
        }
        try (ContainerLocks.Held h = held.get()) {
            if (Files.exists(layout.root().resolve(id).resolve(name), LinkOption.NOFOLLOW_LINKS)
                    || lxcpath.map(p -> Files.exists(p.resolve(name), LinkOption.NOFOLLOW_LINKS)).orElse(false)) {
                return false;
            }
            return Files.deleteIfExists(file);
        }
    }

    /**
     * Removes an lxcpath's journal and its directory when no run directory is beside it and its lxcpath (when known)
     * holds no container, under the journal's lock.
     */
    private boolean dropJournal(String id, Optional<Path> lxcpath) throws IOException {
        Path dir = layout.root().resolve(id);
        Path file = dir.resolve(EventJournal.NAME);
        boolean removed = false;
        Object before = ContainerLocks.fileKey(file);
        if (before != null) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
                if (!before.equals(ContainerLocks.fileKey(file)) || hasSubdirectory(dir)
                        || lxcpath.map(RunLeftovers::hasContainer).orElse(false)) {
                    return false;
                }
                removed = Files.deleteIfExists(file);
            } catch (NoSuchFileException e) {
                return false;   // removed by another runtime's sweep
            }
        }
        removeIfEmpty(dir);
        return removed;
    }

    /** Whether {@code lxcpath} holds a container, or one being created (any directory). */
    private static boolean hasContainer(Path lxcpath) {
        return hasSubdirectory(lxcpath);
    }

    private static boolean hasSubdirectory(Path dir) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    return true;
                }
            }
            return false;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return true;   // unreadable: kept
        }
    }

    private static void removeIfEmpty(Path dir) throws IOException {
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // still in use
        }
    }

    private static Set<String> lxcpathIds(Path dir) {
        Set<String> ids = new TreeSet<>();
        for (String n : names(dir)) {
            if (RunLayout.isLxcpathId(n) && Files.isDirectory(dir.resolve(n), LinkOption.NOFOLLOW_LINKS)) {
                ids.add(n);
            }
        }
        return ids;
    }

    private static Set<String> names(Path dir) {
        Set<String> out = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(p -> out.add(p.getFileName().toString()));
        } catch (IOException e) {
            // none
        }
        return out;
    }
}
