package org.lxj.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.lxj.api.LxjException;

/**
 * Copies a directory tree with everything a rootfs needs kept: owners, modes (setuid included), extended
 * attributes (so POSIX ACLs and file capabilities), hard links, holes of sparse files, device nodes, fifos,
 * sockets, symlinks (never followed) and access and modification times, with nanoseconds. Data moves inside
 * the kernel ({@code copy_file_range}, which clones extents where the filesystem can), data range by data range
 * ({@code SEEK_DATA}/{@code SEEK_HOLE}).
 * <p>
 * The copy stays on the source's filesystem: a directory where another filesystem is mounted is copied as an
 * empty directory. Metadata is applied in the order the kernel needs: owner first (a {@code chown} clears
 * setuid bits and capabilities), then extended attributes, then the mode, then the times (a directory's after
 * its contents).
 * <p>
 * One thread walks the tree and makes directories, links, symlinks and device nodes; regular files of one link
 * are copied, data and metadata, by a small pool meanwhile (a rootfs is mostly small files, and each costs a
 * dozen system calls). Directories get their metadata once every file is done, deepest first.
 */
public final class TreeCopy {

    static final int SEEK_SET = 0;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    /** The largest single {@code copy_file_range} request. */
    static final long CHUNK = 1L << 30;
    private static final int BUFFER = 1 << 20;

    /**
     * What a copy did.
     *
     * @param entries the inodes and links made
     * @param bytes   the data bytes copied (holes not counted)
     */
    public record Result(long entries, long bytes) {
    }

    /** At most this many files wait for the pool, so a huge tree does not queue a task per file. */
    private static final int QUEUED = 256;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Syscalls sys;
    private final int threads;

    /** A copier with a pool of one thread per processor, at most four. */
    public TreeCopy(Syscalls sys) {
        this(sys, Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * @param threads the threads copying regular files besides the walking one; 0 copies everything in the
     *                caller's thread
     */
    public TreeCopy(Syscalls sys, int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("threads < 0: " + threads);
        }
        this.sys = sys;
        this.threads = threads;
    }

    /**
     * Copies the tree {@code source} (a directory) to {@code target}. {@code target} is made when missing; an
     * existing directory (a fresh filesystem's root) receives the copy, and directories already in it are
     * merged; any other existing entry fails the copy with {@code EEXIST}. On failure what was made stays: the
     * caller removes it.
     *
     * @throws SyscallException naming the call and path that failed
     * @throws LxjException     when a directory cannot be listed, or the copying thread is interrupted
     */
    public Result copy(Path source, Path target) {
        Stat top = sys.lstat(source.toString());
        if (!top.isDirectory()) {
            throw new LxjException("Failed to copy \"" + source + "\": not a directory");
        }
        ExecutorService pool = threads == 0 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lxj-tree-copy-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Walk walk = new Walk(top.dev(), pool);
        try {
            walk.directory(source, target, top);
        } catch (RuntimeException e) {
            walk.fail(e);
        } finally {
            walk.drain();
        }
        walk.rethrow();
        walk.directoryMetadata();
        return new Result(walk.entries.sum(), walk.bytes.sum());
    }

    /** A directory whose metadata waits for its contents. */
    private record Pending(String src, String dst, Stat st, FileTimes times) {
    }

    private final class Walk {
        private final long dev;
        private final ExecutorService pool;
        private final Semaphore queued = new Semaphore(QUEUED);
        private final Map<Long, String> linked = new HashMap<>();
        private final List<Pending> directories = new ArrayList<>();
        private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
        private final LongAdder entries = new LongAdder();
        private final LongAdder bytes = new LongAdder();
        private volatile boolean copyFileRange = true;

        Walk(long dev, ExecutorService pool) {
            this.dev = dev;
            this.pool = pool;
        }

        void directory(Path src, Path dst, Stat st) {
            String d = dst.toString();
            FileTimes times = sys.lstatTimes(src.toString()); // before listing or reading changes the atime
            try {
                sys.mkdir(d, 0700);
                entries.increment();
            } catch (SyscallException e) {
                if (!e.is(Errno.EEXIST) || !sys.lstat(d).isDirectory()) {
                    throw e;
                }
            }
            if (st.dev() == dev) {
                for (Path child : list(src)) {
                    if (failure.get() != null) {
                        return;
                    }
                    entry(child, dst.resolve(child.getFileName().toString()));
                }
            }
            directories.add(new Pending(src.toString(), d, st, times));
        }

        private void entry(Path src, Path dst) {
            String s = src.toString();
            String d = dst.toString();
            Stat st = sys.lstat(s);
            if (st.isDirectory()) {
                directory(src, dst, st);
                return;
            }
            if (st.nlink() > 1) {
                String first = linked.putIfAbsent(st.ino(), d);
                if (first != null) {
                    sys.link(first, d);
                    entries.increment();
                    return;
                }
            } else if (st.isRegularFile() && pool != null) {
                submit(s, d, st);
                return;
            }
            // a file of several links is made here, before the links to it that may follow
            copyEntry(s, d, st);
        }

        private void copyEntry(String s, String d, Stat st) {
            FileTimes times = sys.lstatTimes(s);
            if (st.isSymlink()) {
                sys.symlink(sys.readlink(s), d);
            } else if (st.isRegularFile()) {
                file(s, d, st);
            } else {
                sys.mknod(d, st.mode(), st.rdev());
            }
            entries.increment();
            metadata(s, d, st, !st.isSymlink(), times);
        }

        private void submit(String s, String d, Stat st) {
            try {
                queued.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LxjException("Interrupted while copying \"" + s + "\"", e);
            }
            pool.execute(() -> {
                try {
                    if (failure.get() == null) {
                        copyEntry(s, d, st);
                    }
                } catch (RuntimeException e) {
                    fail(e);
                } finally {
                    queued.release();
                }
            });
        }

        void fail(RuntimeException e) {
            if (!failure.compareAndSet(null, e) && failure.get() != e) {
                failure.get().addSuppressed(e);
            }
        }

        /** Waits for the pool's files; an interrupt stops the copy. */
        void drain() {
            if (pool == null) {
                return;
            }
            pool.shutdown();
            boolean interrupted = false;
            while (true) {
                try {
                    if (pool.awaitTermination(1, TimeUnit.DAYS)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    fail(new LxjException("Interrupted while copying", e));
                    pool.shutdownNow();
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        void rethrow() {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
        }

        /** In the order the walk finished them: every directory after the ones inside it. */
        void directoryMetadata() {
            for (Pending p : directories) {
                metadata(p.src(), p.dst(), p.st(), true, p.times());
            }
        }

        private void file(String s, String d, Stat st) {
            int out;
            if (st.size() == 0) {
                out = create(d);
                sys.close(out);
                return;
            }
            int in = sys.open(s, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, 0);
            try {
                out = create(d);
                try {
                    if (data(in, out, st.size()) < st.size()) {
                        sys.ftruncate(out, st.size()); // a hole at the end
                    }
                } finally {
                    sys.close(out);
                }
            } finally {
                sys.close(in);
            }
        }

        private int create(String d) {
            return sys.open(d, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOFOLLOW
                    | OpenFlags.O_CLOEXEC, 0600);
        }

        /**
         * Copies the data ranges of {@code in}; the holes between them stay holes in {@code out}. Returns the
         * offset up to which {@code out} is written.
         */
        private long data(int in, int out, long size) {
            long off = 0;
            long written = 0;
            while (off < size) {
                long start;
                try {
                    start = sys.lseek(in, off, SEEK_DATA);
                } catch (SyscallException e) {
                    if (e.is(Errno.ENXIO)) {
                        return written; // only a hole is left
                    }
                    throw e;
                }
                long end = Math.min(sys.lseek(in, start, SEEK_HOLE), size);
                if (end <= start) {
                    return written;
                }
                written = range(in, out, start, end);
                if (written < end) {
                    return written; // the source shrank meanwhile
                }
                off = end;
            }
            return written;
        }

        /** Copies {@code [start, end)}; returns the offset reached (less than {@code end} at an early EOF). */
        private long range(int in, int out, long start, long end) {
            long pos = start;
            while (pos < end && copyFileRange) {
                long n;
                try {
                    n = sys.copyFileRange(in, pos, out, pos, Math.min(CHUNK, end - pos));
                } catch (SyscallException e) {
                    if (e.is(Errno.EXDEV) || e.is(Errno.EINVAL) || e.is(Errno.ENOSYS) || e.is(Errno.EOPNOTSUPP)) {
                        copyFileRange = false; // this pair of filesystems cannot: plain reads and writes
                        break;
                    }
                    throw e;
                }
                if (n == 0) {
                    return pos; // the source shrank meanwhile
                }
                pos += n;
                bytes.add(n);
            }
            if (pos >= end) {
                return pos;
            }
            byte[] buf = new byte[(int) Math.min(BUFFER, end - pos)];
            sys.lseek(in, pos, SEEK_SET);
            sys.lseek(out, pos, SEEK_SET);
            while (pos < end) {
                int n = sys.read(in, buf, 0, (int) Math.min(buf.length, end - pos));
                if (n == 0) {
                    return pos;
                }
                for (int w = 0; w < n; ) {
                    w += sys.write(out, buf, w, n - w);
                }
                pos += n;
                bytes.add(n);
            }
            return pos;
        }

        private void metadata(String s, String d, Stat st, boolean setMode, FileTimes times) {
            sys.lchown(d, st.uid(), st.gid());
            for (String name : sys.llistxattr(s)) {
                byte[] value;
                try {
                    value = sys.lgetxattr(s, name);
                } catch (SyscallException e) {
                    if (e.is(Errno.ENODATA)) {
                        continue; // removed meanwhile
                    }
                    throw e;
                }
                sys.lsetxattr(d, name, value);
            }
            if (setMode) {
                sys.chmod(d, st.permissions());
            }
            sys.lutimens(d, times);
        }

        private List<Path> list(Path dir) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            } catch (IOException e) {
                throw new LxjException("Failed to list directory \"" + dir + "\": " + e.getMessage(), e);
            }
            children.sort(null);
            return children;
        }
    }
}
