package org.lxj.linux;

/**
 * The access and modification times of an inode, with nanoseconds, as {@code statx(2)} reports them and
 * {@code utimensat(2)} sets them.
 *
 * @param atimeSec  access time, seconds since the epoch
 * @param atimeNsec access time, nanoseconds part
 * @param mtimeSec  modification time, seconds since the epoch
 * @param mtimeNsec modification time, nanoseconds part
 * @since 1.4
 */
public record FileTimes(long atimeSec, int atimeNsec, long mtimeSec, int mtimeNsec) {
}
