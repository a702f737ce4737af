package org.lxj.storage.loop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lxj.linux.MountFlags;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageRequest;

/** The loop backend on a real ext4 image and loop device: needs root, /dev/loop-control and mkfs.ext4. */
class LoopStorageRootTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final LoopStorageBackend loop = new LoopStorageBackend(sys);

    @Test
    void createMountWriteRemountDestroy() throws IOException {
        assumeTrue(sys.geteuid() == 0, "needs root to attach loop devices and mount");
        assumeTrue(Files.exists(Path.of("/dev/loop-control")), "/dev/loop-control is missing");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs.ext4")) || Files.isExecutable(Path.of("/sbin/mkfs.ext4")),
                "mkfs.ext4 (e2fsprogs) is not installed");
        Path tmp = Files.createTempDirectory("lxj-loop-it");
        Path target = tmp.resolve("mnt");
        Path image = tmp.resolve("lxcpath/c1/rootdev");
        try {
            Path cdir = Files.createDirectories(tmp.resolve("lxcpath/c1"));
            Files.createDirectories(target);
            String path = loop.create(new StorageRequest("c1", cdir, Map.of("fssize", "64M")));
            assertEquals("loop:" + image, path);
            assertEquals(64L << 20, Files.size(image));
            assertTrue(Files.isDirectory(cdir.resolve("rootfs")));
            assertTrue(loop.owns(image.toString()));

            MountedRootfs m = loop.mount(path, target);
            assertEquals(new MountedRootfs(target, true), m);
            assertEquals(List.of(image.toString()), backingFiles(image), "attached once");
            Files.writeString(target.resolve("hello.txt"), "written inside");
            loop.unmount(path, target);
            assertFalse(mounted(target), "unmounted");
            assertEquals(List.of(), backingFiles(image), "detached after unmount");

            loop.mount(path, target);
            assertEquals("written inside", Files.readString(target.resolve("hello.txt")));
            loop.unmount(path, target);
            loop.unmount(path, target); // a second unmount is a no-op

            loop.destroy(path);
            assertFalse(Files.exists(image));
            loop.destroy(path); // already gone is not an error
        } finally {
            if (mounted(target)) {
                try {
                    sys.umount2(target.toString(), MountFlags.MNT_DETACH);
                } catch (SyscallException e) {
                    // reported by the assertion below
                }
            }
            for (String dev : devicesOf(image)) {
                try {
                    int fd = sys.open(dev, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
                    try {
                        sys.ioctl(fd, LoopStorageBackend.LOOP_CLR_FD, 0);
                    } finally {
                        sys.close(fd);
                    }
                } catch (SyscallException e) {
                    // reported by the assertion below
                }
            }
            removeTree(tmp);
        }
        assertFalse(mounted(target), "no mount left");
        assertEquals(List.of(), devicesOf(image), "no loop device left attached");
        assertFalse(Files.exists(tmp), "no temp dir left");
    }

    static boolean mounted(Path target) throws IOException {
        String t = " " + target + " ";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().anyMatch(l -> l.contains(t));
    }

    /** The loop devices whose backing file is {@code image} (or was, when deleted since). */
    static List<String> devicesOf(Path image) throws IOException {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/sys/block"), "loop*")) {
            for (Path d : ds) {
                Path bf = d.resolve("loop/backing_file");
                if (Files.exists(bf)) {
                    String f = Files.readString(bf).strip();
                    if (f.equals(image.toString()) || f.equals(image + " (deleted)")) {
                        out.add("/dev/" + d.getFileName());
                    }
                }
            }
        }
        return out;
    }

    static List<String> backingFiles(Path image) throws IOException {
        return devicesOf(image).stream().map(d -> image.toString()).toList();
    }

    static void removeTree(Path top) throws IOException {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> s = Files.walk(top)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
