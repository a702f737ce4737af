package org.lxj.linux;

/**
 * The parts of {@code struct stat} LXJ uses.
 *
 * @param dev   device of the filesystem holding the inode, encoded as glibc's {@code makedev}
 * @param ino   inode number
 * @param mode  file type and permission bits ({@code st_mode})
 * @param uid   owner
 * @param gid   group
 * @param nlink hard link count
 * @param rdev  the device a device node stands for, encoded as {@code dev}
 * @param size  size in bytes
 */
public record Stat(long dev, long ino, int mode, int uid, int gid, long nlink, long rdev, long size) {

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public boolean isRegularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    public boolean isCharDevice() {
        return (mode & S_IFMT) == S_IFCHR;
    }

    public boolean isBlockDevice() {
        return (mode & S_IFMT) == S_IFBLK;
    }

    /** The permission bits ({@code 07777}). */
    public int permissions() {
        return mode & 07777;
    }

    /** Encodes a device number as glibc's {@code makedev} does. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }

    /** The major number of a device encoded by {@link #makedev}. */
    public static long major(long dev) {
        return ((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL);
    }

    /** The minor number of a device encoded by {@link #makedev}. */
    public static long minor(long dev) {
        return ((dev >>> 12) & 0xffffff00L) | (dev & 0xffL);
    }
}
