package org.lxj.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.linux.internal.JnaSyscalls;

class FileTreesTest {

    @TempDir
    Path tmp;

    @Test
    void removesATreeWithoutFollowingSymlinks() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious"), "keep");
        Path top = Files.createDirectories(tmp.resolve("rootfs/etc/deep"));
        Files.writeString(top.resolve("file"), "x");
        Files.createSymbolicLink(tmp.resolve("rootfs/escape"), outside);
        Files.createSymbolicLink(tmp.resolve("rootfs/etc/file-link"), precious);
        Files.createSymbolicLink(tmp.resolve("rootfs/dangling"), tmp.resolve("nowhere"));

        TreeRemoval r = new FileTrees(new JnaSyscalls()).removeOnOneDevice(tmp.resolve("rootfs"));

        assertTrue(r.complete());
        assertEquals(7, r.removed()); // rootfs, etc, deep, file, escape, file-link, dangling
        assertFalse(Files.exists(tmp.resolve("rootfs"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(precious));
    }

    @Test
    void missingTopIsNothingToDo() {
        TreeRemoval r = new FileTrees(new JnaSyscalls()).removeOnOneDevice(tmp.resolve("gone"));
        assertEquals(0, r.removed());
        assertTrue(r.complete());
    }

    @Test
    void symlinkTopIsRemovedNotItsTarget() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dir"));
        Files.writeString(dir.resolve("f"), "x");
        Path link = Files.createSymbolicLink(tmp.resolve("link"), dir);
        new FileTrees(new JnaSyscalls()).removeOnOneDevice(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(dir.resolve("f")));
    }

    @Test
    void entriesOnAnotherDeviceAreLeftAndReported() throws IOException {
        Path top = Files.createDirectories(tmp.resolve("rootfs"));
        Path mounted = Files.createDirectories(top.resolve("proc"));
        Files.writeString(mounted.resolve("inside"), "mounted content");
        Files.createDirectories(top.resolve("usr/lib"));
        Files.writeString(top.resolve("usr/lib/libc"), "x");
        // the fake answers lstat from the real tree, but pretends rootfs/proc is another filesystem
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.on(Syscall.LSTAT, c -> true, c -> realStat(Path.of((String) c.arg(0)), mounted));
        sys.on(Syscall.UNLINKAT, c -> true, c -> delete((String) c.arg(1)));
        sys.on(Syscall.RMDIR, c -> true, c -> delete((String) c.arg(0)));

        TreeRemoval r = new FileTrees(sys).removeOnOneDevice(top);

        assertEquals(List.of(mounted), r.mountpoints());
        assertFalse(r.complete());
        assertEquals("mounted content", Files.readString(mounted.resolve("inside")));
        assertFalse(Files.exists(top.resolve("usr")));
        assertTrue(Files.isDirectory(top), "the directory above a mountpoint stays");
        assertTrue(sys.calls(Syscall.LSTAT).stream().noneMatch(c -> c.arg(0).equals(mounted + "/inside")),
                "nothing below the mountpoint is examined");
        assertEquals(3, r.removed()); // usr, usr/lib, usr/lib/libc
    }

    private static Stat realStat(Path p, Path otherDevice) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,mode,uid,gid,nlink,rdev,size",
                    LinkOption.NOFOLLOW_LINKS);
            long dev = ((Number) a.get("dev")).longValue() + (p.equals(otherDevice) ? 1 : 0);
            return new Stat(dev, ((Number) a.get("ino")).longValue(), (Integer) a.get("mode"), (Integer) a.get("uid"),
                    (Integer) a.get("gid"), ((Number) a.get("nlink")).longValue(), ((Number) a.get("rdev")).longValue(),
                    ((Number) a.get("size")).longValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object delete(String path) {
        try {
            Files.delete(Path.of(path));
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
