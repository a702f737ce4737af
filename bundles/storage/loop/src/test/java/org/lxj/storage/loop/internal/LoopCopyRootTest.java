package org.lxj.storage.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lxj.linux.MountFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.storage.StorageCopyRequest;
import org.lxj.spi.storage.StorageRequest;

/**
 * The loop backend's copy (what copy snapshots of a loop rootfs use): a directory copied into a new image of the
 * asked filesystem type, then that image copied into another, each checked through a mount. Needs root and the
 * mkfs of the type.
 */
class LoopCopyRootTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final LoopStorageBackend loop = new LoopStorageBackend(sys);

    @ParameterizedTest
    @ValueSource(strings = {"ext4", "xfs"})
    void copyIntoNewImages(String fstype) throws IOException {
        assumeTrue(sys.geteuid() == 0, "needs root to attach loop devices and mount");
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "/dev/loop-control is missing");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs." + fstype))
                || Files.isExecutable(Path.of("/sbin/mkfs." + fstype)), "mkfs." + fstype + " is not installed");
        Path tmp = Files.createTempDirectory(Path.of("/var/tmp"), "lxj-loopcopy-it");
        Path mnt = tmp.resolve("mnt");
        Path image1 = tmp.resolve("lxcpath/c1/rootdev");
        Path image2 = tmp.resolve("lxcpath/c2/rootdev");
        try {
            Files.createDirectories(mnt);
            Path src = Files.createDirectories(tmp.resolve("src/etc"));
            Files.writeString(src.resolve("hostname"), "c1\n");
            Files.createSymbolicLink(src.getParent().resolve("link"), Path.of("etc/hostname"));
            Path c1 = Files.createDirectories(tmp.resolve("lxcpath/c1"));
            String p1 = loop.copy(new StorageCopyRequest("dir:" + src.getParent(), src.getParent(), "c1", c1,
                    Map.of("fstype", fstype, "fssize", "320M"), OptionalLong.empty()));
            assertEquals("loop:" + image1, p1);
            assertEquals(320L << 20, Files.size(image1));
            assertEquals(List.of(), LoopStorageRootTest.devicesOf(image1), "detached after the copy");

            loop.mount(p1, mnt);
            Path c2 = Files.createDirectories(tmp.resolve("lxcpath/c2"));
            String p2;
            try {
                assertEquals("c1\n", Files.readString(mnt.resolve("etc/hostname")));
                Files.writeString(mnt.resolve("etc/hostname"), "changed\n");
                p2 = loop.copy(new StorageCopyRequest(p1, mnt, "c2", c2, Map.of("fstype", fstype),
                        OptionalLong.empty()));
            } finally {
                loop.unmount(p1, mnt);
            }
            assertEquals(320L << 20, Files.size(image2), "the source image's size is kept");
            loop.mount(p2, mnt);
            try {
                assertEquals("changed\n", Files.readString(mnt.resolve("link")));
            } finally {
                loop.unmount(p2, mnt);
            }
            loop.destroy(p1);
            loop.destroy(p2);
            assertFalse(Files.exists(image1));
            assertFalse(Files.exists(image2));
        } finally {
            if (LoopStorageRootTest.mounted(mnt)) {
                try {
                    sys.umount2(mnt.toString(), MountFlags.MNT_DETACH);
                } catch (SyscallException e) {
                    // reported by the assertion below
                }
            }
            LoopStorageRootTest.removeTree(tmp);
        }
        assertFalse(LoopStorageRootTest.mounted(mnt), "no mount left");
        assertEquals(List.of(), LoopStorageRootTest.devicesOf(image1), "no loop device left");
        assertEquals(List.of(), LoopStorageRootTest.devicesOf(image2), "no loop device left");
    }
}
