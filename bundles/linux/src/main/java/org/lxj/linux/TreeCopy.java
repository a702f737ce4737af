package org.lxj.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.lxj.api.LxjException;

/**
 * Copies a directory tree with everything a rootfs needs kept: owners, modes (setuid included), extended
 * attributes (so POSIX ACLs and file capabilities), hard links, holes of sparse files, device nodes, fifos,
 * sockets, symlinks (never followed) and access and modification times, with nanoseconds. Data moves inside
 * the kernel ({@code copy_file_range}), data range by data range ({@code SEEK_DATA}/{@code SEEK_HOLE}).
 * <p>
 * The copy stays on the source's filesystem: a directory where another filesystem is mounted is copied as an
 * empty directory. Metadata is applied in the order the kernel needs: owner first (a {@code chown} clears
 * setuid bits and capabilities), then extended attributes, then the mode, then the times (a directory's after
 * its contents).
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

    private final Syscalls sys;

    public TreeCopy(Syscalls sys) {
        this.sys = sys;
    }

    /**
     * Copies the tree {@code source} (a directory) to {@code target}. {@code target} is made when missing; an
     * existing directory (a fresh filesystem's root) receives the copy, and directories already in it are
     * merged; any other existing entry fails the copy with {@code EEXIST}. On failure what was made stays: the
     * caller removes it.
     *
     * @throws SyscallException naming the call and path that failed
     * @throws LxjException     when a directory cannot be listed
     */
    public Result copy(Path source, Path target) {
        Stat top = sys.lstat(source.toString());
        if (!top.isDirectory()) {
            throw new LxjException("Failed to copy \"" + source + "\": not a directory");
        }
        Walk walk = new Walk(top.dev());
        walk.directory(source, target, top);
        return new Result(walk.entries, walk.bytes);
    }

    private final class Walk {
        private final long dev;
        private final Map<Long, String> linked = new HashMap<>();
        private long entries;
        private long bytes;
        private boolean copyFileRange = true;

        Walk(long dev) {
            this.dev = dev;
        }

        void directory(Path src, Path dst, Stat st) {
            String d = dst.toString();
            FileTimes times = sys.lstatTimes(src.toString()); // before listing or reading changes the atime
            try {
                sys.mkdir(d, 0700);
                entries++;
            } catch (SyscallException e) {
                if (!e.is(Errno.EEXIST) || !sys.lstat(d).isDirectory()) {
                    throw e;
                }
            }
            if (st.dev() == dev) {
                for (Path child : list(src)) {
                    entry(child, dst.resolve(child.getFileName().toString()));
                }
            }
            metadata(src.toString(), d, st, true, times);
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
                    entries++;
                    return;
                }
            }
            FileTimes times = sys.lstatTimes(s);
            if (st.isSymlink()) {
                sys.symlink(sys.readlink(s), d);
            } else if (st.isRegularFile()) {
                file(s, d, st);
            } else {
                sys.mknod(d, st.mode(), st.rdev());
            }
            entries++;
            metadata(s, d, st, !st.isSymlink(), times);
        }

        private void file(String s, String d, Stat st) {
            int in = sys.open(s, OpenFlags.O_RDONLY | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, 0);
            try {
                int out = sys.open(d, OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL
                        | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC, 0600);
                try {
                    data(in, out, st.size());
                    sys.ftruncate(out, st.size());
                } finally {
                    sys.close(out);
                }
            } finally {
                sys.close(in);
            }
        }

        /** Copies the data ranges of {@code in}; the holes between them stay holes in {@code out}. */
        private void data(int in, int out, long size) {
            long off = 0;
            while (off < size) {
                long start;
                try {
                    start = sys.lseek(in, off, SEEK_DATA);
                } catch (SyscallException e) {
                    if (e.is(Errno.ENXIO)) {
                        return; // only a hole is left
                    }
                    throw e;
                }
                long end = Math.min(sys.lseek(in, start, SEEK_HOLE), size);
                if (end <= start) {
                    return;
                }
                range(in, out, start, end);
                off = end;
            }
        }

        private void range(int in, int out, long start, long end) {
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
                    return; // the source shrank meanwhile
                }
                pos += n;
                bytes += n;
            }
            if (pos >= end) {
                return;
            }
            byte[] buf = new byte[(int) Math.min(BUFFER, end - pos)];
            sys.lseek(in, pos, SEEK_SET);
            sys.lseek(out, pos, SEEK_SET);
            while (pos < end) {
                int n = sys.read(in, buf, 0, (int) Math.min(buf.length, end - pos));
                if (n == 0) {
                    return;
                }
                for (int w = 0; w < n; ) {
                    w += sys.write(out, buf, w, n - w);
                }
                pos += n;
                bytes += n;
            }
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
