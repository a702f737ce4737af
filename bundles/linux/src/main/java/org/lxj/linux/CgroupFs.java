package org.lxj.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import org.lxj.api.ContainerBusyException;
import org.lxj.spi.backend.BackendException;

/**
 * The cgroup filesystem (v1 hierarchies and cgroup2) through {@link Syscalls}: one-write values, reads, and
 * directories made and removed as the kernel wants, so every failure carries the file and the errno:
 * {@code Failed to write "64Q" to "/sys/fs/cgroup/lxc.payload.c/memory.max" (lxc.cgroup2.memory.max): EINVAL}.
 * Shared by the cgroup backends of both versions.
 *
 * @since 1.3
 */
public final class CgroupFs {
    private static final int READ_CHUNK = 8192;
    private static final int DIR_MODE = 0755;
    private static final int S_IFMT = 0170000;
    private static final int S_IFDIR = 0040000;

    private final Syscalls sys;

    public CgroupFs(Syscalls sys) {
        this.sys = sys;
    }

    /** Writes {@code value} to {@code file} in one write, as the kernel wants; {@code key} names its source. */
    public void write(Path file, String value, String key) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int fd;
        try {
            fd = sys.open(file.toString(), OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC, 0);
        } catch (SyscallException e) {
            throw failed(value, file, key, e);
        }
        try {
            int n = sys.write(fd, bytes, 0, bytes.length);
            if (n != bytes.length) {
                throw new BackendException("Failed to write \"" + value + "\" to \"" + file + "\"" + source(key)
                        + ": short write of " + n + " bytes");
            }
        } catch (SyscallException e) {
            throw failed(value, file, key, e);
        } finally {
            sys.close(fd);
        }
    }

    private static BackendException failed(String value, Path file, String key, SyscallException e) {
        return new BackendException("Failed to write \"" + value + "\" to \"" + file + "\"" + source(key) + ": "
                + errno(e), e);
    }

    private static String source(String key) {
        return key == null ? "" : " (" + key + ")";
    }

    /** The errno's name, as LXC's messages print it. */
    public static String errno(SyscallException e) {
        return e.errno().map(Errno::name).orElse("errno " + e.errnoNumber());
    }

    /** The file's text. */
    public String read(Path file) {
        int fd;
        try {
            fd = sys.open(file.toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
        } catch (SyscallException e) {
            throw new BackendException("Failed to read \"" + file + "\": " + errno(e), e);
        }
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[READ_CHUNK];
            int n;
            while ((n = sys.read(fd, buf, 0, buf.length)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (SyscallException e) {
            throw new BackendException("Failed to read \"" + file + "\": " + errno(e), e);
        } finally {
            sys.close(fd);
        }
    }

    /** The file's text, empty when it does not exist (a controller that is not there). */
    public Optional<String> readIfPresent(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        return Optional.of(read(file));
    }

    public static boolean isDirectory(Path p) {
        return Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
    }

    /** Creates one directory. */
    public void mkdir(Path dir) {
        try {
            sys.mkdir(dir.toString(), DIR_MODE);
        } catch (SyscallException e) {
            throw new BackendException("Failed to create cgroup \"" + dir + "\": " + errno(e), e);
        }
    }

    /**
     * Creates one directory; the errno when it exists ({@code EEXIST}) or its parent does not ({@code ENOENT}), so
     * the common case costs one call.
     */
    public Optional<Errno> tryMkdir(Path dir) {
        try {
            sys.mkdir(dir.toString(), DIR_MODE);
            return Optional.empty();
        } catch (SyscallException e) {
            Optional<Errno> errno = e.errno();
            if (errno.isPresent() && (errno.get() == Errno.EEXIST || errno.get() == Errno.ENOENT)) {
                return errno;
            }
            throw new BackendException("Failed to create cgroup \"" + dir + "\": " + errno(e), e);
        }
    }

    /**
     * Removes one directory; false when the kernel says it is busy (tasks still draining, or child cgroups:
     * EBUSY on cgroupfs, ENOTEMPTY elsewhere).
     */
    public boolean rmdir(Path dir) {
        try {
            sys.rmdir(dir.toString());
            return true;
        } catch (SyscallException e) {
            Optional<Errno> errno = e.errno();
            if (errno.isPresent() && errno.get() == Errno.ENOENT) {
                return true;
            }
            if (errno.isPresent() && (errno.get() == Errno.EBUSY || errno.get() == Errno.ENOTEMPTY)) {
                return false;
            }
            throw new BackendException("Failed to remove cgroup \"" + dir + "\": " + errno(e), e);
        }
    }

    /** The cgroup directories below {@code dir}, deepest first, then {@code dir} itself. */
    public static List<Path> leafFirst(Path dir) {
        List<Path> out = new ArrayList<>();
        collect(dir, out);
        return out;
    }

    private static void collect(Path dir, List<Path> out) {
        java.util.Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(dir, "unix:mode,nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return;
        }
        if ((((Integer) attrs.get("mode")) & S_IFMT) != S_IFDIR) {
            return;
        }
        if (((Integer) attrs.get("nlink")) == 2) {
            // a directory's link count is 2 plus its subdirectories (kernfs, tmpfs, ext4): a leaf cgroup, whose
            // dozens of files need no stat each
            out.add(dir);
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, p -> isDirectory(p))) {
            for (Path child : ds) {
                collect(child, out);
            }
        } catch (IOException e) {
            throw new BackendException("Failed to list cgroup \"" + dir + "\": " + e.getMessage(), e);
        }
        out.add(dir);
    }

    /**
     * Whether {@code dir} exists to be used again: false when it does not exist, true when it exists and holds no
     * process.
     *
     * @throws ContainerBusyException when it holds processes (another container's, named by {@code name})
     * @since 1.8
     */
    public boolean existsEmpty(Path dir, String name) {
        if (!isDirectory(dir)) {
            return false;
        }
        if (!pids(dir).isEmpty()) {
            throw new ContainerBusyException("Cgroup \"" + dir + "\" of \"" + name + "\" still holds processes");
        }
        return true;
    }

    /**
     * Removes the cgroups a failed create made, newest first; a removal that fails as well is added to
     * {@code failure} as a suppressed exception.
     *
     * @since 1.8
     */
    public void removeMade(List<Path> made, RuntimeException failure) {
        for (int i = made.size() - 1; i >= 0; i--) {
            try {
                rmdir(made.get(i));
            } catch (RuntimeException suppressed) {
                failure.addSuppressed(suppressed);
            }
        }
    }

    /** The pids in {@code cgroup.procs} of {@code dir} and every cgroup below it, sorted. */
    public List<Integer> pids(Path dir) {
        TreeSet<Integer> out = new TreeSet<>();
        for (Path d : leafFirst(dir)) {
            readIfPresent(d.resolve("cgroup.procs")).ifPresent(text -> text.lines().map(String::trim)
                    .filter(s -> !s.isEmpty()).forEach(s -> out.add(Integer.parseInt(s))));
        }
        return List.copyOf(out);
    }
}
