package org.lxj.storage.btrfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.linux.Btrfs;
import org.lxj.linux.Errno;
import org.lxj.linux.FsMagic;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscall;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.linux.fake.SyscallCall;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;

/** The btrfs backend's ioctls, checked on the recording fake (no root needed). */
class BtrfsStorageBackendTest {

    private final RecordingSyscalls sys = new RecordingSyscalls();
    private final BtrfsStorageBackend backend = new BtrfsStorageBackend(sys);
    private final BtrfsSnapshotProvider provider = new BtrfsSnapshotProvider(sys);

    private static Stat dir(long ino) {
        return new Stat(42, ino, Stat.S_IFDIR | 0755, 0, 0, 2, 0, 4096);
    }

    private static String name(byte[] args, int offset) {
        int end = offset;
        while (args[end] != 0) {
            end++;
        }
        return new String(args, offset, end - offset, StandardCharsets.UTF_8);
    }

    @Test
    void describesItself() {
        assertEquals("btrfs", backend.type());
        assertEquals(Set.of(StorageCapability.SNAPSHOT, StorageCapability.CLONE), backend.capabilities());
        assertEquals(SnapshotKind.COPY_ON_WRITE, provider.kind());
        assertTrue(backend.owns("btrfs:/anything"));
        assertFalse(backend.owns("dir:/x"));
        assertFalse(backend.owns("relative"));
    }

    @Test
    void createMakesASubvolumeThroughTheIoctlOnTheParent() {
        sys.answer(Syscall.STATFS, FsMagic.BTRFS);
        String path = backend.create(new StorageRequest("c1", Path.of("/b/lxc/c1"), Map.of()));
        assertEquals("btrfs:/b/lxc/c1/rootfs", path);
        SyscallCall open = sys.calls(Syscall.OPEN).get(0);
        assertEquals("/b/lxc/c1", open.arg(0));
        SyscallCall ioctl = sys.calls(Syscall.IOCTL).get(0);
        assertEquals(Btrfs.IOC_SUBVOL_CREATE, ioctl.arg(1));
        byte[] args = (byte[]) ioctl.arg(2);
        assertEquals(4096, args.length);
        assertEquals("rootfs", name(args, 8));
        assertEquals(List.of(open.arg(0)), List.of("/b/lxc/c1"));
        assertEquals(sys.calls(Syscall.OPEN).size(), sys.calls(Syscall.CLOSE).size(), "every fd closed");
    }

    @Test
    void createRefusesOutsideBtrfs() {
        sys.answer(Syscall.STATFS, FsMagic.EXT4);
        BackendException e = assertThrows(BackendException.class,
                () -> backend.create(new StorageRequest("c1", Path.of("/var/lib/lxc/c1"), Map.of())));
        assertEquals("Failed to create subvolume \"/var/lib/lxc/c1/rootfs\": \"/var/lib/lxc/c1\" is not on btrfs",
                e.getMessage());
        assertTrue(sys.calls(Syscall.IOCTL).isEmpty());
    }

    @Test
    void snapshotPassesTheSourceFdAndTheNewName() {
        sys.answer(Syscall.STATFS, FsMagic.BTRFS).withStat("/b/lxc/c1/rootfs", dir(Btrfs.SUBVOLUME_INO));
        SnapshotSource source = new SnapshotSource("c1", "btrfs:/b/lxc/c1/rootfs", "btrfs",
                backend.capabilities(), backend, Path.of("/b/lxc/c1/rootfs"));
        assertTrue(provider.canSnapshot(source));
        assertFalse(provider.canSnapshot(new SnapshotSource("c1", "dir:/b/lxc/c1/rootfs", "dir", Set.of(),
                backend, Path.of("/b/lxc/c1/rootfs"))), "another backend's rootfs");

        SnapshotResult r = provider.snapshot(source, new SnapshotTarget("snap0", Path.of("/b/lxc/c1/snaps/snap0"),
                Map.of()));

        assertEquals(new SnapshotResult("btrfs:/b/lxc/c1/snaps/snap0/rootfs", false), r);
        List<SyscallCall> opens = sys.calls(Syscall.OPEN);
        assertEquals("/b/lxc/c1/rootfs", opens.get(0).arg(0));
        assertEquals("/b/lxc/c1/snaps/snap0", opens.get(1).arg(0));
        SyscallCall ioctl = sys.calls(Syscall.IOCTL).get(0);
        assertEquals(Btrfs.IOC_SNAP_CREATE_V2, ioctl.arg(1));
        assertEquals(opens.get(1).arg(0), "/b/lxc/c1/snaps/snap0");
        byte[] args = (byte[]) ioctl.arg(2);
        ByteBuffer b = ByteBuffer.wrap(args).order(ByteOrder.nativeOrder());
        assertEquals(3L, b.getLong(0), "the source's fd, the first one handed out");
        assertEquals(0L, b.getLong(16), "writable");
        assertEquals("rootfs", name(args, 56));
        assertEquals(2, sys.calls(Syscall.CLOSE).size());
    }

    @Test
    void snapshotOfAPlainDirectoryIsRefused() {
        sys.answer(Syscall.STATFS, FsMagic.BTRFS).withStat("/b/lxc/c1/rootfs", dir(300));
        SnapshotSource source = new SnapshotSource("c1", "btrfs:/b/lxc/c1/rootfs", "btrfs",
                backend.capabilities(), backend, Path.of("/b/lxc/c1/rootfs"));
        assertFalse(provider.canSnapshot(source));
        BackendException e = assertThrows(BackendException.class, () -> provider.snapshot(source,
                new SnapshotTarget("snap0", Path.of("/b/s"), Map.of())));
        assertEquals("Failed to snapshot \"/b/lxc/c1/rootfs\": not a btrfs subvolume", e.getMessage());
    }

    @Test
    void destroyFallsBackToTheFirstIoctlOnOldKernelsAndIgnoresWhatIsGone() {
        sys.withStat("/b/lxc/c1/rootfs", dir(Btrfs.SUBVOLUME_INO));
        sys.on(Syscall.IOCTL, c -> Btrfs.IOC_SNAP_DESTROY_V2 == (long) c.arg(1), c -> {
            throw new org.lxj.linux.SyscallException(Syscall.IOCTL, Errno.ENOTTY, c.arg(0), c.arg(1));
        });
        backend.destroy("btrfs:/b/lxc/c1/rootfs");
        List<SyscallCall> ioctls = sys.calls(Syscall.IOCTL);
        assertEquals(List.of(Btrfs.IOC_SNAP_DESTROY_V2, Btrfs.IOC_SNAP_DESTROY),
                ioctls.stream().map(c -> c.arg(1)).toList());
        byte[] v1 = (byte[]) ioctls.get(1).arg(2);
        assertEquals("rootfs", name(v1, 8));
        assertArrayEquals(new byte[8], Arrays.copyOf(v1, 8));

        sys.clearCalls();
        backend.destroy("btrfs:/b/lxc/gone/rootfs");
        assertTrue(sys.calls(Syscall.IOCTL).isEmpty(), "nothing to delete");
        assertThrows(BackendException.class, () -> backend.destroy("btrfs:relative"));
    }
}
