package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.lxj.api.LxjException;

/**
 * One lock per container for the verbs that change its run state (start, cleanup after the stop), held across
 * threads of this JVM by a reentrant lock and across processes by a file lock on
 * {@code <run>/locks/<lxcpath-id>/<name>}. The file is opened only by the thread that holds the in-JVM lock,
 * because closing any descriptor of a file drops the process's POSIX locks on it.
 */
public final class ContainerLocks {
    private final RunLayout layout;
    private final ConcurrentHashMap<Path, Holder> holders = new ConcurrentHashMap<>();

    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        FileChannel channel;
        FileLock fileLock;
    }

    /** A held lock; closing it releases one level. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    public ContainerLocks(RunLayout layout) {
        this.layout = layout;
    }

    /** Blocks until this thread holds the container's lock. */
    public Held lock(Path lxcpath, String name) {
        Path file = layout.lock(lxcpath, name);
        Holder h = holders.computeIfAbsent(file, f -> new Holder());
        h.lock.lock();
        if (h.lock.getHoldCount() == 1) {
            try {
                acquire(h, file, true);
            } catch (IOException | RuntimeException e) {
                closeQuietly(h);
                h.lock.unlock();
                throw new LxjException("Failed to lock \"" + file + "\": " + e.getMessage(), e);
            }
        }
        return release(h);
    }

    /**
     * Takes the container's lock only if nobody holds it: empty when another thread of this JVM, another lock
     * table of this JVM or another process holds it (a start in progress). Never blocks.
     */
    public Optional<Held> tryLock(Path lxcpath, String name) {
        return tryLock(layout.lock(lxcpath, name), false);
    }

    /**
     * {@link #tryLock(Path, String)} of a lock file found in the run root; with {@code firstOnly}, empty also when
     * this thread holds it already (so that a holder's file is never removed under it).
     */
    Optional<Held> tryLock(Path file, boolean firstOnly) {
        Holder h = holders.computeIfAbsent(file, f -> new Holder());
        if (firstOnly && h.lock.isHeldByCurrentThread()) {
            return Optional.empty();
        }
        if (!h.lock.tryLock()) {
            return Optional.empty();
        }
        if (h.lock.getHoldCount() == 1) {
            try {
                acquire(h, file, false);
            } catch (OverlappingFileLockException e) {
                h.fileLock = null;   // held by another lock table of this JVM
            } catch (IOException | RuntimeException e) {
                closeQuietly(h);
                h.lock.unlock();
                throw new LxjException("Failed to lock \"" + file + "\": " + e.getMessage(), e);
            }
            if (h.fileLock == null) {
                closeQuietly(h);
                h.lock.unlock();
                return Optional.empty();
            }
        }
        return Optional.of(release(h));
    }

    /**
     * Opens and locks {@code file} into {@code h} ({@code fileLock} null when {@code wait} is off and another
     * process holds it). {@link RunLeftovers} removes a lock file while holding it, so a lock taken on a file the
     * path no longer names (or on one made just now, which another process may have replaced) is dropped and taken
     * again on the file the path names.
     */
    private static void acquire(Holder h, Path file, boolean wait) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(file.getParent());
            Object before = fileKey(file);
            try {
                h.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                continue;   // its directory was swept in between: made again
            }
            h.fileLock = wait ? h.channel.lock() : h.channel.tryLock();
            if (h.fileLock == null || (before != null && before.equals(fileKey(file))) || attempt >= MAX_ATTEMPTS) {
                return;
            }
            closeQuietly(h);
        }
    }

    private static final int MAX_ATTEMPTS = 100;

    /** The identity (device and inode) of the file {@code file} names; null when there is none. */
    static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static Held release(Holder h) {
        return () -> {
            if (h.lock.getHoldCount() == 1) {
                closeQuietly(h);
            }
            h.lock.unlock();
        };
    }

    private static void closeQuietly(Holder h) {
        try {
            if (h.fileLock != null) {
                h.fileLock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        try {
            if (h.channel != null) {
                h.channel.close();
            }
        } catch (IOException ignored) {
            // nothing left to release
        }
        h.fileLock = null;
        h.channel = null;
    }
}
