package org.lxj.storage.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Errno;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscall;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.linux.fake.SyscallCall;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageRequest;

/** The loop backend's calls, checked on the recording fake (no root needed). */
class LoopStorageBackendTest {

    @TempDir
    Path tmp;

    private final RecordingSyscalls sys = new RecordingSyscalls();
    private final List<String> made = new ArrayList<>();

    private LoopStorageBackend loop() throws IOException {
        Path fs = Files.writeString(tmp.resolve("filesystems"), "nodev\tproc\n\text4\nnodev\toverlay\n\txfs\n");
        Path mi = Files.writeString(tmp.resolve("mountinfo"),
                "30 1 8:1 / / rw - ext4 /dev/sda1 rw\n99 30 7:3 / /run/r rw - ext4 /dev/loop3 rw\n");
        return new LoopStorageBackend(sys, (t, img) -> made.add(t + " " + img), fs, mi);
    }

    @Test
    void ownsPrefixAndRegularFiles() throws IOException {
        sys.withStat("/img", new Stat(1, 2, Stat.S_IFREG | 0600, 0, 0, 1, 0, 10));
        sys.withStat("/dir", new Stat(1, 3, Stat.S_IFDIR | 0755, 0, 0, 2, 0, 10));
        LoopStorageBackend loop = loop();
        assertTrue(loop.owns("loop:/x"));
        assertTrue(loop.owns("/img"));
        assertFalse(loop.owns("/dir"));
        assertFalse(loop.owns("/missing"));
        assertFalse(loop.owns("overlay:/a:/b"));
    }

    @Test
    void parsesLxcSizes() {
        assertEquals(1L << 30, LoopStorageBackend.parseSize("1G"));
        assertEquals(512L << 20, LoopStorageBackend.parseSize("512M"));
        assertEquals(100L << 20, LoopStorageBackend.parseSize("100MB"));
        assertEquals(4096, LoopStorageBackend.parseSize("4096"));
        assertEquals(2L << 10, LoopStorageBackend.parseSize("2k"));
        for (String bad : List.of("", "G", "-1G", "1X", "abc")) {
            assertEquals("Invalid fssize \"" + bad + "\"",
                    assertThrows(BackendException.class, () -> LoopStorageBackend.parseSize(bad)).getMessage());
        }
    }

    @Test
    void createMakesSparseImageAndFilesystem() throws IOException {
        String path = loop().create(new StorageRequest("c1", Path.of("/lxc/c1"), Map.of()));
        assertEquals("loop:/lxc/c1/rootdev", path);
        SyscallCall open = sys.calls(Syscall.OPEN).get(0);
        assertEquals("/lxc/c1/rootdev", open.arg(0));
        assertEquals(OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_CLOEXEC, open.arg(1));
        assertEquals(List.of(3, 1L << 30), sys.calls(Syscall.FTRUNCATE).get(0).args());
        assertEquals(List.of("ext4 /lxc/c1/rootdev"), made);
        assertEquals("/lxc/c1/rootfs", sys.calls(Syscall.MKDIR).get(0).arg(0));
    }

    @Test
    void createHonoursFstypeAndFssize() throws IOException {
        loop().create(new StorageRequest("c1", Path.of("/lxc/c1"), Map.of("fstype", "xfs", "fssize", "300M")));
        assertEquals(300L << 20, sys.calls(Syscall.FTRUNCATE).get(0).arg(1));
        assertEquals(List.of("xfs /lxc/c1/rootdev"), made);
    }

    @Test
    void failedMkfsRemovesTheImage() throws IOException {
        Path fs = Files.writeString(tmp.resolve("filesystems"), "\text4\n");
        LoopStorageBackend loop = new LoopStorageBackend(sys, (t, img) -> {
            throw new BackendException("Failed to make a ext4 filesystem in \"" + img + "\": boom");
        }, fs, fs);
        BackendException e = assertThrows(BackendException.class,
                () -> loop.create(new StorageRequest("c1", Path.of("/lxc/c1"), Map.of())));
        assertEquals("Failed to make a ext4 filesystem in \"/lxc/c1/rootdev\": boom", e.getMessage());
        assertEquals("/lxc/c1/rootdev", sys.calls(Syscall.UNLINKAT).get(0).arg(1));
        assertTrue(sys.calls(Syscall.MKDIR).isEmpty());
    }

    @Test
    void existingImageIsNotOverwritten() throws IOException {
        sys.failOn(Syscall.OPEN, "/lxc/c1/rootdev", Errno.EEXIST);
        BackendException e = assertThrows(BackendException.class,
                () -> loop().create(new StorageRequest("c1", Path.of("/lxc/c1"), Map.of())));
        assertTrue(e.getMessage().startsWith("Failed to create loop rootfs \"/lxc/c1/rootdev\" for \"c1\": "),
                e.getMessage());
        assertTrue(sys.calls(Syscall.UNLINKAT).isEmpty(), "someone else's image is kept");
    }

    @Test
    void mountAttachesWithAutoclear() throws IOException {
        sys.on(Syscall.IOCTL, c -> c.arg(1).equals(LoopStorageBackend.LOOP_CTL_GET_FREE), c -> 5);
        MountedRootfs m = loop().mount("loop:/lxc/c1/rootdev", Path.of("/run/r"));
        assertEquals(new MountedRootfs(Path.of("/run/r"), true), m);
        List<SyscallCall> ioctls = sys.calls(Syscall.IOCTL);
        assertEquals(LoopStorageBackend.LOOP_CTL_GET_FREE, ioctls.get(0).arg(1));
        assertEquals(LoopStorageBackend.LOOP_SET_FD, ioctls.get(1).arg(1));
        assertTrue(sys.calls(Syscall.OPEN).stream().anyMatch(c -> c.arg(0).equals("/dev/loop5")));
        byte[] info = (byte[]) ioctls.get(2).arg(2);
        assertEquals(LoopStorageBackend.LOOP_SET_STATUS64, ioctls.get(2).arg(1));
        assertEquals(LoopStorageBackend.LO_FLAGS_AUTOCLEAR,
                ByteBuffer.wrap(info).order(ByteOrder.nativeOrder()).getInt(LoopStorageBackend.LO_FLAGS_OFFSET));
        assertEquals("/lxc/c1/rootdev", new String(info, LoopStorageBackend.LO_FILE_NAME_OFFSET, 15,
                StandardCharsets.UTF_8));
        // the fake image has no known magic: /proc/filesystems' first block filesystem is tried
        assertEquals(Arrays.asList("/dev/loop5", "/run/r", "ext4", 0L, null), sys.calls(Syscall.MOUNT).get(0).args());
        assertEquals(sys.calls(Syscall.OPEN).size(), sys.calls(Syscall.CLOSE).size(), "every fd closed");
    }

    @Test
    void mountTriesFilesystemsInTurnAndRetriesBusyDevices() throws IOException {
        sys.on(Syscall.IOCTL, c -> c.arg(1).equals(LoopStorageBackend.LOOP_CTL_GET_FREE), c -> 5);
        java.util.concurrent.atomic.AtomicInteger setFd = new java.util.concurrent.atomic.AtomicInteger();
        sys.on(Syscall.IOCTL, c -> c.arg(1).equals(LoopStorageBackend.LOOP_SET_FD) && setFd.getAndIncrement() == 0,
                c -> {
                    throw new org.lxj.linux.SyscallException(Syscall.IOCTL, Errno.EBUSY, c.args().toArray());
                });
        LoopStorageBackend loop = loop();
        sys.on(Syscall.MOUNT, c -> "ext4".equals(c.arg(2)), c -> {
            throw new org.lxj.linux.SyscallException(Syscall.MOUNT, Errno.EINVAL, c.args().toArray());
        });
        loop.mount("loop:/i", Path.of("/t"));
        assertEquals(List.of("ext4", "xfs"), sys.calls(Syscall.MOUNT).stream().map(c -> c.arg(2)).toList());
        assertEquals(2, sys.calls(Syscall.IOCTL).stream()
                .filter(c -> c.arg(1).equals(LoopStorageBackend.LOOP_CTL_GET_FREE)).count(), "a lost race asks again");
        assertEquals(sys.calls(Syscall.OPEN).size(), sys.calls(Syscall.CLOSE).size(), "every fd closed");
    }

    @Test
    void failedMountDetaches() throws IOException {
        sys.fail(Syscall.MOUNT, Errno.EPERM);
        BackendException e = assertThrows(BackendException.class, () -> loop().mount("loop:/i", Path.of("/t")));
        assertTrue(e.getMessage().startsWith("Failed to mount rootfs \"loop:/i\": Failed to mount \"/dev/loop0\" on "
                + "\"/t\""), e.getMessage());
        List<SyscallCall> ioctls = sys.calls(Syscall.IOCTL);
        assertEquals(LoopStorageBackend.LOOP_CLR_FD, ioctls.get(ioctls.size() - 1).arg(1));
        assertEquals(sys.calls(Syscall.OPEN).size(), sys.calls(Syscall.CLOSE).size(), "every fd closed");
    }

    @Test
    void unmountDetachesTheMountedDevice() throws IOException {
        sys.fail(Syscall.IOCTL, Errno.ENXIO); // autoclear got there first
        loop().unmount("loop:/i", Path.of("/run/r"));
        assertEquals(List.of("/run/r", 0), sys.calls(Syscall.UMOUNT2).get(0).args());
        assertEquals("/dev/loop3", sys.calls(Syscall.OPEN).get(0).arg(0));
        assertEquals(LoopStorageBackend.LOOP_CLR_FD, sys.calls(Syscall.IOCTL).get(0).arg(1));
    }

    @Test
    void destroyRemovesOnlyTheImage() throws IOException {
        sys.fail(Syscall.UNLINKAT, Errno.ENOENT);
        loop().destroy("loop:/lxc/c1/rootdev");
        assertEquals(1, sys.calls().size());
        assertThrows(BackendException.class, () -> loop().destroy("loop:relative"));
    }

    @Test
    void detectsLoopControl() throws IOException {
        assertFalse(loop().detect(null).available());
        sys.withStat("/dev/loop-control", new Stat(5, 9, Stat.S_IFCHR | 0660, 0, 0, 1, 0, 0));
        assertEquals("/dev/loop-control exists", loop().detect(null).reason());
    }

    @Test
    void recognisesSuperblocks() {
        byte[] b = new byte[0x10048];
        assertTrue(LoopStorageBackend.magic(b, b.length).isEmpty());
        b[0x438] = 0x53;
        b[0x439] = (byte) 0xEF;
        assertEquals("ext4", LoopStorageBackend.magic(b, b.length).orElseThrow());
        assertTrue(LoopStorageBackend.magic(b, 0x400).isEmpty());
        byte[] x = "XFSB".getBytes(StandardCharsets.US_ASCII);
        assertEquals("xfs", LoopStorageBackend.magic(Arrays.copyOf(x, 16), 16).orElseThrow());
    }
}
