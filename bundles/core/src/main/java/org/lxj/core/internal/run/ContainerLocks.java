package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
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
                Files.createDirectories(file.getParent());
                h.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                h.fileLock = h.channel.lock();
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
        Path file = layout.lock(lxcpath, name);
        Holder h = holders.computeIfAbsent(file, f -> new Holder());
        if (!h.lock.tryLock()) {
            return Optional.empty();
        }
        if (h.lock.getHoldCount() == 1) {
            try {
                Files.createDirectories(file.getParent());
                h.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                h.fileLock = h.channel.tryLock();
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
