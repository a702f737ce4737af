package org.lxj.storage.overlay.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.linux.Errno;
import org.lxj.linux.Syscall;
import org.lxj.linux.fake.SyscallCall;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;

/** The overlay backend's calls, checked on the recording fake (no root needed). */
class OverlayStorageBackendTest {

    private final RecordingSyscalls sys = new RecordingSyscalls();
    private final OverlayStorageBackend overlay = new OverlayStorageBackend(sys);

    @Test
    void ownsOnlyItsPrefixes() {
        assertEquals("overlay", overlay.type());
        assertTrue(overlay.owns("overlay:/a:/b"));
        assertTrue(overlay.owns("overlayfs:/a:/b"));
        assertFalse(overlay.owns("/var/lib/lxj/c1/rootfs"));
        assertFalse(overlay.owns("dir:/a"));
        assertEquals(Set.of(StorageCapability.SNAPSHOT, StorageCapability.CLONE), overlay.capabilities());
    }

    @Test
    void parsesLowersAndUpper() {
        OverlayStorageBackend.Layers l = OverlayStorageBackend.parse("overlay:/l1:/l2:/c/overlay/delta");
        assertEquals(List.of(Path.of("/l1"), Path.of("/l2")), l.lowers());
        assertEquals(Path.of("/c/overlay/delta"), l.upper());
        assertEquals(Path.of("/c/overlay/work"), l.work());
        assertEquals("lowerdir=/l1:/l2,upperdir=/c/overlay/delta,workdir=/c/overlay/work", l.mountData());
        assertEquals(List.of(Path.of("/x")), OverlayStorageBackend.parse("overlayfs:/x:/y").lowers());
    }

    @Test
    void rejectsMalformedPaths() {
        for (String bad : List.of("overlay:/only", "overlay:rel:/u", "overlay:/a/../b:/u", "overlay:/a,b:/u",
                "overlay::/u", "overlay:/a:/", "dir:/a")) {
            BackendException e = assertThrows(BackendException.class, () -> OverlayStorageBackend.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("Invalid overlay rootfs \"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void createMakesLxcLayout() {
        knowsMadeDirectories();
        sys.on(Syscall.STAT, c -> c.arg(0).equals("/lxc/c1"), c -> dirStat());
        String path = overlay.create(new StorageRequest("c1", Path.of("/lxc/c1"), Map.of()));
        assertEquals("overlay:/lxc/c1/rootfs:/lxc/c1/overlay/delta", path);
        List<Object> made = sys.calls(Syscall.MKDIR).stream().map(c -> c.arg(0)).toList();
        assertEquals(List.of("/lxc/c1/rootfs", "/lxc/c1/overlay", "/lxc/c1/overlay/delta", "/lxc/c1/overlay/work"),
                made);
        sys.calls(Syscall.MKDIR).forEach(c -> assertEquals(0755, c.arg(1)));
    }

    @Test
    void createUsesDirOptionAsLower() {
        sys.on(Syscall.STAT, c -> true, c -> dirStat());
        String path = overlay.create(new StorageRequest("c1", Path.of("/lxc/c1"), Map.of("dir", "/srv/base")));
        assertEquals("overlay:/srv/base:/lxc/c1/overlay/delta", path);
        assertTrue(sys.calls(Syscall.MKDIR).isEmpty());
    }

    @Test
    void failedCreateRemovesWhatItMade() {
        knowsMadeDirectories();
        sys.on(Syscall.STAT, c -> c.arg(0).equals("/lxc/c1"), c -> dirStat());
        sys.failOn(Syscall.MKDIR, "/lxc/c1/overlay/work", Errno.ENOSPC);
        BackendException e = assertThrows(BackendException.class,
                () -> overlay.create(new StorageRequest("c1", Path.of("/lxc/c1"), Map.of())));
        assertTrue(e.getMessage().startsWith("Failed to create overlay rootfs for \"c1\": Failed to create directory "
                + "\"/lxc/c1/overlay/work\""), e.getMessage());
        assertEquals(List.of("/lxc/c1/overlay/delta", "/lxc/c1/overlay", "/lxc/c1/rootfs"),
                sys.calls(Syscall.RMDIR).stream().map(c -> c.arg(0)).toList());
    }

    @Test
    void mountPassesOverlayOptions() {
        sys.on(Syscall.STAT, c -> true, c -> dirStat());
        MountedRootfs m = overlay.mount("overlay:/l:/c/overlay/delta", Path.of("/run/rootfs"));
        assertEquals(new MountedRootfs(Path.of("/run/rootfs"), true), m);
        SyscallCall mount = sys.calls(Syscall.MOUNT).get(0);
        assertEquals(List.of("overlay", "/run/rootfs", "overlay", 0L,
                "lowerdir=/l,upperdir=/c/overlay/delta,workdir=/c/overlay/work"), mount.args());
    }

    @Test
    void mountFailureNamesTheRootfs() {
        sys.on(Syscall.STAT, c -> true, c -> dirStat());
        sys.fail(Syscall.MOUNT, Errno.EPERM);
        BackendException e = assertThrows(BackendException.class,
                () -> overlay.mount("overlay:/l:/u/delta", Path.of("/t")));
        assertTrue(e.getMessage().startsWith("Failed to mount rootfs \"overlay:/l:/u/delta\": Failed to mount "
                + "\"overlay\" on \"/t\""), e.getMessage());
    }

    @Test
    void unmountToleratesNotMounted() {
        sys.fail(Syscall.UMOUNT2, Errno.EINVAL);
        overlay.unmount("overlay:/l:/u/delta", Path.of("/t"));
        assertEquals(List.of("/t", 0), sys.calls(Syscall.UMOUNT2).get(0).args());
        sys.fail(Syscall.UMOUNT2, Errno.EBUSY);
        assertThrows(BackendException.class, () -> overlay.unmount("overlay:/l:/u/delta", Path.of("/t")));
    }

    @Test
    void destroyNeverTouchesTheLower() {
        overlay.destroy("overlay:/base/rootfs:/c/overlay/delta");
        for (SyscallCall c : sys.calls()) {
            assertFalse(String.valueOf(c.args()).contains("/base"), c.toString());
        }
        assertEquals(List.of("/c/overlay"), sys.calls(Syscall.RMDIR).stream().map(c -> c.arg(0)).toList());
    }

    @Test
    void detectsByProcFilesystems() {
        assertTrue(overlay.detect(host(Set.of("overlay", "ext4"))).available());
        assertEquals("overlay is not in /proc/filesystems", overlay.detect(host(Set.of("ext4"))).reason());
    }

    /** The fake's stat sees the directories mkdir made, as a real filesystem would. */
    private void knowsMadeDirectories() {
        sys.on(Syscall.STAT, c -> sys.calls(Syscall.MKDIR).stream().anyMatch(m -> m.arg(0).equals(c.arg(0))),
                c -> dirStat());
    }

    static HostFacts host(Set<String> fs) {
        return new HostFacts("6.1.0", "x86_64", fs, List.of(), CgroupLayout.UNIFIED, List.of(), true, Set.of(), 0);
    }

    static org.lxj.linux.Stat dirStat() {
        return new org.lxj.linux.Stat(1, 2, org.lxj.linux.Stat.S_IFDIR | 0755, 0, 0, 2, 0, 4096);
    }
}
