package org.lxj.core.internal.lock;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.lxj.api.LxjException;
import org.lxj.core.internal.layout.LxcLayout;

/**
 * Exclusive hold on a container directory through its {@code partial} marker, across threads and processes.
 * <p>
 * The marker exists exactly while a creation or a removal runs, and its holder keeps an exclusive lock on it.
 * A marker whose lock is free was left by a process that died: whoever claims it next owns the leftover and
 * removes it. The marker is made under a private name, locked, then hard-linked to {@code partial}: the link
 * fails if a marker exists, and nobody ever sees {@code partial} unlocked while its maker lives.
 */
public final class PartialClaim implements AutoCloseable {
    private final ClaimRegistry registry;
    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean open = true;

    private PartialClaim(ClaimRegistry registry, Path dir, FileChannel channel, FileLock lock) {
        this.registry = registry;
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Makes the {@code partial} marker in {@code dir} and holds it.
     *
     * @return empty when a marker exists already (another creation or removal, or a leftover)
     */
    public static Optional<PartialClaim> acquire(ClaimRegistry registry, Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!registry.enter(d)) {
            return Optional.empty();
        }
        Path marker = d.resolve(LxcLayout.PARTIAL);
        Path privateName = d.resolve("." + LxcLayout.PARTIAL + "." + UUID.randomUUID());
        FileChannel channel = null;
        try {
            channel = FileChannel.open(privateName, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            try {
                Files.createLink(marker, privateName);
            } catch (FileAlreadyExistsException e) {
                Files.deleteIfExists(privateName);
                channel.close();
                registry.leave(d);
                return Optional.empty();
            }
            Files.deleteIfExists(privateName);
            return Optional.of(new PartialClaim(registry, d, channel, lock));
        } catch (IOException e) {
            closeQuietly(channel);
            deleteQuietly(privateName);
            registry.leave(d);
            throw new LxjException("Failed to create \"" + marker + "\": " + e, e);
        }
    }

    /**
     * Takes over a marker whose holder died (its lock is free).
     *
     * @return empty when there is no marker, or its holder is alive
     */
    public static Optional<PartialClaim> adoptLeftover(ClaimRegistry registry, Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        if (!registry.enter(d)) {
            return Optional.empty();
        }
        Path marker = d.resolve(LxcLayout.PARTIAL);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(marker, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            Object opened = fileKey(marker);
            FileLock lock = channel.tryLock();
            // Another process may have removed the leftover and a new creation made a new marker meanwhile:
            // the lock only counts if it is on the marker that is there now.
            if (lock != null && opened != null && opened.equals(fileKey(marker))) {
                return Optional.of(new PartialClaim(registry, d, channel, lock));
            }
        } catch (NoSuchFileException | OverlappingFileLockException e) {
            // gone, or held: nothing to adopt
        } catch (IOException e) {
            closeQuietly(channel);
            registry.leave(d);
            throw new LxjException("Failed to lock \"" + marker + "\": " + e, e);
        }
        closeQuietly(channel);
        registry.leave(d);
        return Optional.empty();
    }

    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The container directory this claim holds. */
    public Path dir() {
        return dir;
    }

    /** Removes the marker, then lets go: the directory is complete (or gone) and visible again. */
    public void release() {
        if (!open) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(LxcLayout.PARTIAL));
        } catch (IOException e) {
            throw new LxjException("Failed to remove \"" + dir.resolve(LxcLayout.PARTIAL) + "\": " + e, e);
        } finally {
            close();
        }
    }

    /**
     * Lets go but leaves the marker: the directory stays hidden and the next command that looks at the lxcpath
     * removes it as a leftover.
     */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel below releases the lock as well
        } finally {
            closeQuietly(channel);
            registry.leave(dir);
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                // nothing to do: the descriptor is gone either way
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort while reporting the original failure
        }
    }

    @Override
    public String toString() {
        return "PartialClaim[" + Objects.toString(dir) + "]";
    }
}
