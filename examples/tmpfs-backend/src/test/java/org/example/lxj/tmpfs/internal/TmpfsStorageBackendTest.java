package org.example.lxj.tmpfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.linux.Errno;
import org.lxj.linux.FsMagic;
import org.lxj.linux.MountFlags;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscall;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.linux.fake.SyscallCall;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.storage.StorageRequest;

/** The tmpfs backend against the recording fake: no root and no real mounts needed. */
class TmpfsStorageBackendTest {
    private static final int DIR = Stat.S_IFDIR | 0755;

    private static Stat dir(long dev) {
        return new Stat(dev, 1, DIR, 0, 0, 2, 0, 4096);
    }

    @Test
    void createMakesTheDirectoryAndMountsATmpfsOnIt() {
        RecordingSyscalls sys = new RecordingSyscalls();
        TmpfsStorageBackend backend = new TmpfsStorageBackend(sys);
        String path = backend.create(new StorageRequest("c1", Path.of("/var/lib/lxj/c1"), Map.of("fssize", "64m")));

        assertEquals("tmpfs:/var/lib/lxj/c1/rootfs", path);
        assertEquals(List.of("/var/lib/lxj/c1/rootfs", 0755), sys.calls(Syscall.MKDIR).get(0).args());
        SyscallCall mount = sys.calls(Syscall.MOUNT).get(0);
        assertEquals(List.of("tmpfs", "/var/lib/lxj/c1/rootfs", "tmpfs", 0L, "mode=0755,size=64m"), mount.args());
    }

    @Test
    void aFailedMountRemovesTheDirectoryItMade() {
        RecordingSyscalls sys = new RecordingSyscalls().fail(Syscall.MOUNT, Errno.EPERM);
        TmpfsStorageBackend backend = new TmpfsStorageBackend(sys);
        BackendException e = assertThrows(BackendException.class,
                () -> backend.create(new StorageRequest("c1", Path.of("/l/c1"), Map.of())));

        assertTrue(e.getMessage().startsWith("Failed to create the tmpfs rootfs \"/l/c1/rootfs\": "), e.getMessage());
        assertEquals(List.of("/l/c1/rootfs"), sys.calls(Syscall.RMDIR).get(0).args());
    }

    @Test
    void aBadSizeIsAConfigErrorBeforeAnythingIsMade() {
        RecordingSyscalls sys = new RecordingSyscalls();
        TmpfsStorageBackend backend = new TmpfsStorageBackend(sys);
        assertThrows(ConfigException.class,
                () -> backend.create(new StorageRequest("c1", Path.of("/l/c1"), Map.of("fssize", "1,uid=0"))));
        assertTrue(sys.calls(Syscall.MKDIR).isEmpty());
    }

    @Test
    void ownsOnlyItsPrefix() {
        TmpfsStorageBackend backend = new TmpfsStorageBackend(new RecordingSyscalls());
        assertTrue(backend.owns("tmpfs:/l/c1/rootfs"));
        assertFalse(backend.owns("/l/c1/rootfs"));
        assertFalse(backend.owns("dir:/l/c1/rootfs"));
    }

    @Test
    void mountUsesTheMountedTmpfsAndRefusesAVanishedOne() {
        RecordingSyscalls sys = new RecordingSyscalls().withStat("/l/c1", dir(1)).withStat("/l/c1/rootfs", dir(2))
                .answer(Syscall.STATFS, FsMagic.TMPFS);
        TmpfsStorageBackend backend = new TmpfsStorageBackend(sys);
        assertEquals(Path.of("/l/c1/rootfs"), backend.mount("tmpfs:/l/c1/rootfs", Path.of("/unused")).path());

        RecordingSyscalls rebooted = new RecordingSyscalls().withStat("/l/c1", dir(1)).withStat("/l/c1/rootfs", dir(1));
        BackendException e = assertThrows(BackendException.class,
                () -> new TmpfsStorageBackend(rebooted).mount("tmpfs:/l/c1/rootfs", Path.of("/unused")));
        assertTrue(e.getMessage().startsWith("The tmpfs rootfs \"/l/c1/rootfs\" is not mounted"), e.getMessage());
    }

    @Test
    void destroyUnmountsThenRemovesAndAMissingRootfsIsNoError() {
        RecordingSyscalls sys = new RecordingSyscalls().withStat("/l/c1", dir(1)).withStat("/l/c1/rootfs", dir(2))
                .answer(Syscall.STATFS, FsMagic.TMPFS);
        sys.on(Syscall.UMOUNT2, c -> true, c -> {
            sys.withStat("/l/c1/rootfs", dir(1));       // unmounted: the directory is on its parent's device again
            return null;
        });
        new TmpfsStorageBackend(sys).destroy("tmpfs:/l/c1/rootfs");
        assertEquals(List.of("/l/c1/rootfs", MountFlags.MNT_DETACH), sys.calls(Syscall.UMOUNT2).get(0).args());
        assertEquals(List.of("/l/c1/rootfs"), sys.calls(Syscall.RMDIR).get(0).args());

        RecordingSyscalls gone = new RecordingSyscalls();
        new TmpfsStorageBackend(gone).destroy("tmpfs:/l/c2/rootfs");
        assertTrue(gone.calls(Syscall.RMDIR).isEmpty());
    }

    @Test
    void refusesRelativeAndUnnormalizedPaths() {
        TmpfsStorageBackend backend = new TmpfsStorageBackend(new RecordingSyscalls());
        assertThrows(BackendException.class, () -> backend.destroy("tmpfs:/"));
        assertThrows(BackendException.class, () -> backend.destroy("tmpfs:l/c1"));
        assertThrows(BackendException.class, () -> backend.destroy("tmpfs:/l/../etc"));
    }
}
