package org.lxj.template.busybox.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.lxj.linux.Errno;
import org.lxj.linux.Stat;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.BackendException;

/**
 * Writes inside a rootfs by relative paths. The rootfs may be one the user gave (an existing
 * {@code lxc.rootfs.path}), so no path component under it may be a symlink: following one would write
 * on the host. Modes are set explicitly, so the result does not depend on the runtime's umask.
 */
final class RootfsWriter {

    static final int PARENT_MODE = 0755;

    private final Syscalls sys;
    private final Path rootfs;

    RootfsWriter(Syscalls sys, Path rootfs) {
        this.sys = sys;
        this.rootfs = rootfs;
    }

    Path rootfs() {
        return rootfs;
    }

    /** {@code mkdir -p} of {@code relative} (new parents 0755, as under umask 022), then {@code mode} on the last. */
    void directory(String relative, int mode) {
        Path target = checkedFile(relative);
        Path current = rootfs;
        for (Path part : rootfs.relativize(target)) {
            current = current.resolve(part);
            Optional<Stat> st = lstat(current);
            if (st.isEmpty()) {
                sys.mkdir(current.toString(), PARENT_MODE);
                sys.chmod(current.toString(), PARENT_MODE);
            } else if (st.get().isSymlink()) {
                throw refuse(current, "is a symlink");
            } else if (!st.get().isDirectory()) {
                throw refuse(current, "is not a directory");
            }
        }
        sys.chmod(target.toString(), mode);
    }

    /** Appends {@code text} to the file, as LXC's {@code cat >>}; a new file gets {@code newMode}. */
    void append(String relative, String text, int newMode) {
        Path file = checkedFile(relative);
        boolean created = lstat(file).isEmpty();
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BackendException("Failed to write \"" + file + "\": " + e.getMessage(), e);
        }
        if (created) {
            sys.chmod(file.toString(), newMode);
        }
    }

    /** Copies {@code source} over the file (replacing what is there) and sets {@code mode}. */
    void copy(Path source, String relative, int mode) {
        Path file = checkedFile(relative);
        try {
            Files.copy(source, file, StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new BackendException("Failed to copy \"" + source + "\" to \"" + file + "\": " + e.getMessage(), e);
        }
        sys.chmod(file.toString(), mode);
    }

    /** Creates a symlink unless something already has the name (LXC's {@code ln -s} then fails quietly). */
    boolean symlink(String target, String relative) {
        Path link = checkedFile(relative);
        if (lstat(link).isPresent()) {
            return false;
        }
        sys.symlink(target, link.toString());
        return true;
    }

    /** Creates a hard link to an existing file unless the name is taken. */
    boolean hardLink(String existing, String relative) {
        Path link = checkedFile(relative);
        if (lstat(link).isPresent()) {
            return false;
        }
        try {
            Files.createLink(link, checkedFile(existing));
        } catch (IOException e) {
            throw new BackendException("Failed to link \"" + link + "\" to \"" + existing + "\": " + e.getMessage(), e);
        }
        return true;
    }

    void chmod(String relative, int mode) {
        sys.chmod(checkedFile(relative).toString(), mode);
    }

    /** The path of {@code relative}, having checked that none of its parents under the rootfs is a symlink. */
    private Path checkedFile(String relative) {
        Path rel = Path.of(relative);
        if (rel.isAbsolute() || rel.normalize().startsWith("..") || !rel.normalize().equals(rel)) {
            throw refuse(rootfs.resolve(rel), "is not a plain path inside the rootfs");
        }
        Path current = rootfs;
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            current = current.resolve(rel.getName(i));
            Optional<Stat> st = lstat(current);
            if (st.isPresent() && st.get().isSymlink()) {
                throw refuse(current, "is a symlink");
            }
        }
        return rootfs.resolve(rel);
    }

    private Optional<Stat> lstat(Path p) {
        try {
            return Optional.of(sys.lstat(p.toString()));
        } catch (SyscallException e) {
            if (e.errno().filter(x -> x == Errno.ENOENT).isPresent()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private BackendException refuse(Path p, String why) {
        return new BackendException("Refusing to write in rootfs \"" + rootfs + "\": \"" + p + "\" " + why);
    }
}
