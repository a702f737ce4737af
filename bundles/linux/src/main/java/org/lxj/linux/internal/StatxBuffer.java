package org.lxj.linux.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.lxj.linux.FileTimes;
import org.lxj.linux.Stat;

/**
 * Decodes {@code struct statx}. LXJ stats through {@code statx(2)} because its layout is the same on
 * every architecture, unlike {@code struct stat}.
 */
final class StatxBuffer {
    static final int SIZE = 256;
    /** {@code STATX_BASIC_STATS}. */
    static final int MASK_BASIC = 0x7ff;

    private StatxBuffer() {
    }

    static Stat decode(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        long nlink = Integer.toUnsignedLong(b.getInt(16));
        int uid = b.getInt(20);
        int gid = b.getInt(24);
        int mode = Short.toUnsignedInt(b.getShort(28));
        long ino = b.getLong(32);
        long size = b.getLong(40);
        long rdev = Stat.makedev(Integer.toUnsignedLong(b.getInt(128)), Integer.toUnsignedLong(b.getInt(132)));
        long dev = Stat.makedev(Integer.toUnsignedLong(b.getInt(136)), Integer.toUnsignedLong(b.getInt(140)));
        return new Stat(dev, ino, mode, uid, gid, nlink, rdev, size);
    }

    /** The access ({@code stx_atime}) and modification ({@code stx_mtime}) times. */
    static FileTimes times(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        return new FileTimes(b.getLong(64), b.getInt(72), b.getLong(112), b.getInt(120));
    }
}
