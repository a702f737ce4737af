package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Errno;
import org.lxj.linux.FileTrees;
import org.lxj.linux.FsMagic;
import org.lxj.linux.MountFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.TreeRemoval;

/** Root integration tests: real mounts on this kernel, always unmounted in finally. */
class RootMountTest {

    private final JnaSyscalls sys = new JnaSyscalls();

    @TempDir
    Path tmp;

    @BeforeEach
    void needsRoot() {
        assumeTrue(sys.geteuid() == 0, "mounting needs root (CAP_SYS_ADMIN); running as uid " + sys.geteuid());
    }

    @Test
    void mountsAndUnmountsATmpfs() throws IOException {
        Path target = Files.createDirectory(tmp.resolve("mnt"));
        long before = sys.lstat(target.toString()).dev();
        sys.mount("lxj-test", target.toString(), "tmpfs", MountFlags.MS_NOSUID | MountFlags.MS_NODEV,
                "size=1m,mode=700");
        try {
            assertEquals(FsMagic.TMPFS, sys.statfs(target.toString()));
            assertNotEquals(before, sys.lstat(target.toString()).dev());
            assertEquals(0700, sys.lstat(target.toString()).permissions());
            assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains(" " + target + " "));
        } finally {
            sys.umount2(target.toString(), MountFlags.MNT_DETACH);
        }
        assertEquals(before, sys.lstat(target.toString()).dev());
        SyscallException e = assertThrows(SyscallException.class, () -> sys.umount2(target.toString(), 0));
        assertTrue(e.is(Errno.EINVAL));
        assertEquals("Failed to unmount \"" + target + "\": EINVAL (Invalid argument)", e.getMessage());
    }

    @Test
    void mountFailureCarriesErrno() {
        String missing = tmp.resolve("missing").toString();
        SyscallException e = assertThrows(SyscallException.class,
                () -> sys.mount("proc", missing, "proc", 0, null));
        assertEquals("Failed to mount \"proc\" on \"" + missing + "\": ENOENT (No such file or directory)",
                e.getMessage());
    }

    @Test
    void treeRemovalStopsAtAMountpoint() throws IOException {
        Path rootfs = Files.createDirectories(tmp.resolve("rootfs/dev"));
        Files.writeString(tmp.resolve("rootfs/hostname"), "web\n");
        sys.mount("lxj-test", rootfs.toString(), "tmpfs", 0, "size=1m");
        try {
            Files.writeString(rootfs.resolve("null-ish"), "inside the tmpfs");
            TreeRemoval r = new FileTrees(sys).removeOnOneDevice(tmp.resolve("rootfs"));
            assertEquals(List.of(rootfs), r.mountpoints());
            assertEquals("inside the tmpfs", Files.readString(rootfs.resolve("null-ish")));
            assertFalse(Files.exists(tmp.resolve("rootfs/hostname")));
        } finally {
            sys.umount2(rootfs.toString(), MountFlags.MNT_DETACH);
        }
        assertTrue(new FileTrees(sys).removeOnOneDevice(tmp.resolve("rootfs")).complete());
        assertFalse(Files.exists(tmp.resolve("rootfs")));
    }
}
