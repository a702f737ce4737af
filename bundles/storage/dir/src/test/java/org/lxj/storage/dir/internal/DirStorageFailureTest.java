package org.lxj.storage.dir.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Errno;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscall;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.linux.fake.SyscallCall;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.storage.StorageRequest;

/** Failures the host cannot be made to produce on demand, through the recording syscall fake. */
class DirStorageFailureTest {

    private static final Stat DIRECTORY = new Stat(1, 2, Stat.S_IFDIR | 0755, 0, 0, 2, 0, 4096);

    @TempDir
    Path tmp;

    @Test
    void aFailedCreateRemovesWhatItMadeDeepestFirst() {
        RecordingSyscalls sys = new RecordingSyscalls().withStat("/var/lib/lxj", DIRECTORY)
                .failOn(Syscall.CHMOD, "/var/lib/lxj/c1/rootfs", Errno.EPERM);
        DirStorageBackend dir = new DirStorageBackend(sys);
        BackendException e = assertThrows(BackendException.class, () -> dir.create(
                new StorageRequest("c1", Path.of("/var/lib/lxj/c1"), Map.of())));
        assertTrue(e.getMessage().startsWith("Failed to change mode of \"/var/lib/lxj/c1/rootfs\" to 0755: EPERM"),
                e.getMessage());
        assertEquals(List.of("/var/lib/lxj/c1", "/var/lib/lxj/c1/rootfs"), args(sys.calls(Syscall.MKDIR)));
        assertEquals(List.of("/var/lib/lxj/c1/rootfs", "/var/lib/lxj/c1"), args(sys.calls(Syscall.RMDIR)));
    }

    @Test
    void aFailedMkdirRemovesOnlyWhatItMade() {
        RecordingSyscalls sys = new RecordingSyscalls().withStat("/srv", DIRECTORY)
                .failOn(Syscall.MKDIR, "/srv/a/b", Errno.EACCES);
        DirStorageBackend dir = new DirStorageBackend(sys);
        assertThrows(BackendException.class, () -> dir.create(
                new StorageRequest("c1", Path.of("/var/lib/lxj/c1"), Map.of("dir", "/srv/a/b/rootfs"))));
        assertEquals(List.of("/srv/a"), args(sys.calls(Syscall.RMDIR)));
    }

    @Test
    void everyCreatedDirectoryGetsMode0755WhateverTheUmask() {
        RecordingSyscalls sys = new RecordingSyscalls().withStat("/var/lib/lxj/c1", DIRECTORY);
        String rootfs = new DirStorageBackend(sys).create(
                new StorageRequest("c1", Path.of("/var/lib/lxj/c1"), Map.of()));
        assertEquals("dir:/var/lib/lxj/c1/rootfs", rootfs);
        List<SyscallCall> chmods = sys.calls(Syscall.CHMOD);
        assertEquals(1, chmods.size());
        assertEquals(0755, chmods.get(0).arg(1));
    }

    /**
     * A tree with a filesystem mounted inside: the fake reports another device for {@code mnt}; everything else
     * is the real temp tree. Destroy must leave the mount and the directories above it, and fail naming it.
     */
    @Test
    void destroyDoesNotCrossIntoOtherFilesystems() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("rootfs"));
        Path mnt = Files.createDirectories(root.resolve("mnt/data"));
        Files.writeString(mnt.resolve("precious"), "keep");
        Files.writeString(root.resolve("etc"), "x");
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.on(Syscall.LSTAT, c -> true, c -> realStat(Path.of((String) c.arg(0)), mnt));
        DirStorageBackend dir = new DirStorageBackend(sys);
        BackendException e = assertThrows(BackendException.class, () -> dir.destroy("dir:" + root));
        assertEquals("Failed to destroy rootfs \"dir:" + root + "\": 1 entries on other filesystems are still "
                + "mounted below it: [" + mnt + "]", e.getMessage());
        assertEquals(List.of(), args(sys.calls(Syscall.RMDIR)));
        List<SyscallCall> unlinks = sys.calls(Syscall.UNLINKAT);
        assertEquals(1, unlinks.size());
        assertEquals(root.resolve("etc").toString(), unlinks.get(0).arg(1));
        assertEquals("keep", Files.readString(mnt.resolve("precious")));
    }

    private static Stat realStat(Path p, Path otherDevice) {
        try {
            long dev = p.startsWith(otherDevice) ? 4242 : ((Number) Files.getAttribute(p, "unix:dev",
                    LinkOption.NOFOLLOW_LINKS)).longValue();
            int mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            long ino = ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            return new Stat(dev, ino, mode, 0, 0, 1, 0, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<Object> args(List<SyscallCall> calls) {
        return calls.stream().map(c -> c.arg(0)).toList();
    }
}
