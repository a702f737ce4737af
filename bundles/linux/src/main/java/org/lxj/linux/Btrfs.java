package org.lxj.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Btrfs subvolumes through the kernel's ioctls ({@code <linux/btrfs.h>}), as LXC's {@code btrfs.c} does: no
 * {@code btrfs} tool is run. A subvolume's top directory is inode 256 ({@code BTRFS_FIRST_FREE_OBJECTID}) on a
 * filesystem whose {@code statfs} magic is {@link FsMagic#BTRFS}.
 *
 * @since 1.4
 */
public final class Btrfs {

    /** The inode number of every subvolume's top directory. */
    public static final long SUBVOLUME_INO = 256;
    static final int VOL_ARGS_SIZE = 4096;
    static final int NAME_MAX_V1 = 4087;
    /** Offset of {@code name} in {@code struct btrfs_ioctl_vol_args_v2}. */
    static final int V2_NAME_OFFSET = 56;
    static final int V2_FLAGS_OFFSET = 16;
    static final int NAME_MAX_V2 = 4039;
    static final long BTRFS_SUBVOL_RDONLY = 1L << 1;
    /** {@code _IOW(0x94, 14, struct btrfs_ioctl_vol_args)}. */
    public static final long IOC_SUBVOL_CREATE = 0x5000940EL;
    /** {@code _IOW(0x94, 15, struct btrfs_ioctl_vol_args)}. */
    public static final long IOC_SNAP_DESTROY = 0x5000940FL;
    /** {@code _IOW(0x94, 23, struct btrfs_ioctl_vol_args_v2)}. */
    public static final long IOC_SNAP_CREATE_V2 = 0x50009417L;
    /** {@code _IOW(0x94, 63, struct btrfs_ioctl_vol_args_v2)}, Linux 5.7 and later. */
    public static final long IOC_SNAP_DESTROY_V2 = 0x5000943FL;

    private final Syscalls sys;

    public Btrfs(Syscalls sys) {
        this.sys = sys;
    }

    /** Whether {@code path} is on a btrfs filesystem. A path that cannot be looked at is not. */
    public boolean isBtrfs(Path path) {
        try {
            return sys.statfs(path.toString()) == FsMagic.BTRFS;
        } catch (SyscallException e) {
            return false;
        }
    }

    /** Whether {@code path} is the top directory of a btrfs subvolume (inode 256 on btrfs, not followed). */
    public boolean isSubvolume(Path path) {
        try {
            Stat st = sys.lstat(path.toString());
            return st.isDirectory() && st.ino() == SUBVOLUME_INO && isBtrfs(path);
        } catch (SyscallException e) {
            return false;
        }
    }

    /**
     * Creates the empty subvolume {@code path} (its parent must exist, on btrfs).
     *
     * @throws SyscallException from the ioctl, or from opening the parent
     */
    public void createSubvolume(Path path) {
        byte[] args = new byte[VOL_ARGS_SIZE];
        putName(args, 8, NAME_MAX_V1, path);
        withParent(path, fd -> sys.ioctlBuffer(fd, IOC_SUBVOL_CREATE, args));
    }

    /**
     * Makes {@code dest} a copy-on-write snapshot of the subvolume {@code source}; both on the same btrfs.
     *
     * @param readOnly whether the snapshot is read-only
     */
    public void snapshot(Path source, Path dest, boolean readOnly) {
        int src = sys.open(source.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
        try {
            byte[] args = new byte[VOL_ARGS_SIZE];
            ByteBuffer b = ByteBuffer.wrap(args).order(ByteOrder.nativeOrder());
            b.putLong(0, src);
            b.putLong(V2_FLAGS_OFFSET, readOnly ? BTRFS_SUBVOL_RDONLY : 0);
            putName(args, V2_NAME_OFFSET, NAME_MAX_V2, dest);
            withParent(dest, fd -> sys.ioctlBuffer(fd, IOC_SNAP_CREATE_V2, args));
        } finally {
            sys.close(src);
        }
    }

    /**
     * Deletes the subvolume {@code path} with everything in it ({@code SNAP_DESTROY_V2}, or the first version
     * on kernels before 5.7). Subvolumes nested inside it must be deleted first ({@code ENOTEMPTY}).
     */
    public void deleteSubvolume(Path path) {
        byte[] v2 = new byte[VOL_ARGS_SIZE];
        putName(v2, V2_NAME_OFFSET, NAME_MAX_V2, path);
        withParent(path, fd -> {
            try {
                return sys.ioctlBuffer(fd, IOC_SNAP_DESTROY_V2, v2);
            } catch (SyscallException e) {
                if (!e.is(Errno.ENOTTY) && !e.is(Errno.EOPNOTSUPP)) {
                    throw e;
                }
                byte[] v1 = new byte[VOL_ARGS_SIZE];
                putName(v1, 8, NAME_MAX_V1, path);
                return sys.ioctlBuffer(fd, IOC_SNAP_DESTROY, v1);
            }
        });
    }

    private interface FdCall {
        int run(int fd);
    }

    private void withParent(Path path, FdCall call) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent == null) {
            throw new IllegalArgumentException("Not a subvolume path: \"" + path + "\"");
        }
        int fd = sys.open(parent.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
        try {
            call.run(fd);
        } finally {
            sys.close(fd);
        }
    }

    private static void putName(byte[] args, int offset, int max, Path path) {
        Path name = path.getFileName();
        if (name == null) {
            throw new IllegalArgumentException("Not a subvolume path: \"" + path + "\"");
        }
        byte[] bytes = name.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > max) {
            throw new IllegalArgumentException("Subvolume name too long: \"" + name + "\"");
        }
        System.arraycopy(bytes, 0, args, offset, bytes.length);
    }
}
