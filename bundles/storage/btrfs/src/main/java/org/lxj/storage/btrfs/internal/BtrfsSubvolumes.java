package org.lxj.storage.btrfs.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.lxj.linux.Btrfs;
import org.lxj.linux.Errno;
import org.lxj.linux.SyscallException;
import org.lxj.spi.backend.BackendException;

/** What the btrfs backend and snapshot provider share: the path syntax and subvolume verbs with messages. */
final class BtrfsSubvolumes {

    static final String TYPE = "btrfs";
    static final String PREFIX = TYPE + ":";

    private final Btrfs btrfs;

    BtrfsSubvolumes(Btrfs btrfs) {
        this.btrfs = btrfs;
    }

    Btrfs btrfs() {
        return btrfs;
    }

    /** The subvolume directory of a {@code btrfs:} or unprefixed rootfs path: absolute and normalized. */
    static Path directoryOf(String rootfsPath) {
        String p = rootfsPath.startsWith(PREFIX) ? rootfsPath.substring(PREFIX.length()) : rootfsPath;
        Path path;
        try {
            path = Path.of(p);
        } catch (InvalidPathException e) {
            throw new BackendException("Invalid btrfs rootfs \"" + rootfsPath + "\": " + e.getReason());
        }
        if (!path.isAbsolute() || !path.normalize().equals(path) || path.getParent() == null) {
            throw new BackendException("Invalid btrfs rootfs \"" + rootfsPath
                    + "\": not an absolute, normalized path below /");
        }
        return path;
    }

    void create(Path dest) {
        if (!btrfs.isBtrfs(dest.getParent())) {
            throw new BackendException("Failed to create subvolume \"" + dest + "\": \"" + dest.getParent()
                    + "\" is not on btrfs");
        }
        try {
            btrfs.createSubvolume(dest);
        } catch (SyscallException e) {
            throw new BackendException("Failed to create subvolume \"" + dest + "\": " + Errno.describe(e.errnoNumber()), e);
        }
    }

    void snapshot(Path source, Path dest) {
        if (!btrfs.isSubvolume(source)) {
            throw new BackendException("Failed to snapshot \"" + source + "\": not a btrfs subvolume");
        }
        try {
            btrfs.snapshot(source, dest, false);
        } catch (SyscallException e) {
            throw new BackendException("Failed to snapshot subvolume \"" + source + "\" to \"" + dest + "\": "
                    + Errno.describe(e.errnoNumber()), e);
        }
    }

    /** Deletes a subvolume; one already gone is not an error. */
    void delete(Path dir) {
        try {
            btrfs.deleteSubvolume(dir);
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return;
            }
            throw new BackendException("Failed to delete subvolume \"" + dir + "\": " + Errno.describe(e.errnoNumber()), e);
        }
    }
}
