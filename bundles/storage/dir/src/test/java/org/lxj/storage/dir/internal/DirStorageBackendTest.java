package org.lxj.storage.dir.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageCopyRequest;
import org.lxj.spi.storage.StorageRequest;

/** The dir backend on real temporary directories (no root needed). */
class DirStorageBackendTest {

    @TempDir
    Path tmp;

    private final DirStorageBackend dir = new DirStorageBackend(new JnaSyscalls());

    private Path containerDir() throws IOException {
        return Files.createDirectories(tmp.resolve("lxcpath/c1"));
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    private List<Path> listAll() throws IOException {
        try (Stream<Path> s = Files.walk(tmp)) {
            return s.sorted().toList();
        }
    }

    @Test
    void describesItself() {
        assertEquals("dir", dir.type());
        assertEquals(Set.of(StorageCapability.CLONE), dir.capabilities());
        assertTrue(dir.detect(null).available());
    }

    @Test
    void createsRootfsInTheContainerDirectory() throws IOException {
        Path cdir = containerDir();
        String rootfs = dir.create(new StorageRequest("c1", cdir, Map.of()));
        assertEquals("dir:" + cdir.resolve("rootfs"), rootfs);
        assertTrue(Files.isDirectory(cdir.resolve("rootfs"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("rwxr-xr-x", mode(cdir.resolve("rootfs")));
    }

    @Test
    void createsTheDirOptionWithParents() throws IOException {
        Path cdir = containerDir();
        Path where = tmp.resolve("elsewhere/a/b");
        String rootfs = dir.create(new StorageRequest("c1", cdir, Map.of("dir", where.toString(), "fstype", "ext4")));
        assertEquals("dir:" + where, rootfs);
        assertEquals("rwxr-xr-x", mode(where));
        assertEquals("rwxr-xr-x", mode(tmp.resolve("elsewhere/a")));
        assertEquals("rwxr-xr-x", mode(tmp.resolve("elsewhere")));
        assertFalse(Files.exists(cdir.resolve("rootfs")));
    }

    @Test
    void acceptsAnExistingDirectoryAsItIs() throws IOException {
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(existing.resolve("keep"), "x");
        String rootfs = dir.create(new StorageRequest("c1", containerDir(), Map.of("dir", existing.toString())));
        assertEquals("dir:" + existing, rootfs);
        assertEquals("rwx------", mode(existing));
        assertEquals("x", Files.readString(existing.resolve("keep")));
    }

    @Test
    void aFileInTheWayFailsAndCreatesNothing() throws IOException {
        Path cdir = containerDir();
        Path file = Files.writeString(tmp.resolve("file"), "x");
        List<Path> before = listAll();
        BackendException e = assertThrows(BackendException.class,
                () -> dir.create(new StorageRequest("c1", cdir, Map.of("dir", file.resolve("sub/rootfs").toString()))));
        assertEquals("Failed to create directory \"" + file.resolve("sub/rootfs") + "\": \"" + file
                + "\" exists and is not a directory", e.getMessage());
        assertThrows(BackendException.class,
                () -> dir.create(new StorageRequest("c1", cdir, Map.of("dir", file.toString()))));
        assertEquals(before, listAll());
    }

    @Test
    void aRelativeDirOptionIsRefused() throws IOException {
        Path cdir = containerDir();
        BackendException e = assertThrows(BackendException.class,
                () -> dir.create(new StorageRequest("c1", cdir, Map.of("dir", "relative/rootfs"))));
        assertEquals("Invalid dir option \"relative/rootfs\": not an absolute path", e.getMessage());
        assertThrows(BackendException.class,
                () -> dir.create(new StorageRequest("c1", cdir, Map.of("dir", tmp + "/a/../b"))));
        assertFalse(Files.exists(tmp.resolve("b")));
    }

    @Test
    void ownsPrefixedPathsAndPlainDirectories() throws IOException {
        Path cdir = containerDir();
        Path file = Files.writeString(tmp.resolve("img"), "x");
        assertTrue(dir.owns("dir:/var/lib/lxj/nowhere/rootfs"));
        assertTrue(dir.owns(cdir.toString()));
        assertFalse(dir.owns(file.toString()));
        assertFalse(dir.owns(tmp.resolve("missing").toString()));
        assertFalse(dir.owns(file.resolve("below").toString()));
        assertFalse(dir.owns("overlay:" + cdir + ":" + cdir));
        assertFalse(dir.owns("btrfs:" + cdir));
        assertFalse(dir.owns("relative"));
    }

    @Test
    void mountIsTheDirectoryItself() throws IOException {
        Path cdir = containerDir();
        String rootfs = dir.create(new StorageRequest("c1", cdir, Map.of()));
        assertEquals(new MountedRootfs(cdir.resolve("rootfs"), false), dir.mount(rootfs, tmp.resolve("mnt")));
        assertEquals(new MountedRootfs(cdir, false), dir.mount(cdir.toString(), tmp.resolve("mnt")));
        dir.unmount(rootfs, tmp.resolve("mnt"));
        assertTrue(Files.isDirectory(cdir.resolve("rootfs")));
        assertFalse(Files.exists(tmp.resolve("mnt")));
        assertFalse(dir.mountsAtTarget(rootfs), "no mount point is made for a directory used where it lies");
    }

    @Test
    void mountOfAMissingOrNonDirectoryFails() throws IOException {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        BackendException missing = assertThrows(BackendException.class,
                () -> dir.mount("dir:" + tmp.resolve("gone"), tmp));
        assertTrue(missing.getMessage().startsWith("Failed to mount rootfs \"dir:" + tmp.resolve("gone") + "\": "),
                missing.getMessage());
        BackendException notDir = assertThrows(BackendException.class, () -> dir.mount("dir:" + file, tmp));
        assertEquals("Failed to mount rootfs \"dir:" + file + "\": \"" + file + "\" is not a directory",
                notDir.getMessage());
    }

    @Test
    void destroyRemovesTheTree() throws IOException {
        Path cdir = containerDir();
        String rootfs = dir.create(new StorageRequest("c1", cdir, Map.of()));
        Path root = cdir.resolve("rootfs");
        Files.createDirectories(root.resolve("etc/init.d"));
        Files.writeString(root.resolve("etc/hostname"), "c1\n");
        Files.createSymbolicLink(root.resolve("bin"), Path.of("usr/bin"));
        dir.destroy(rootfs);
        assertFalse(Files.exists(root, LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.isDirectory(cdir));
    }

    @Test
    void destroyDoesNotFollowSymlinksOutOfTheTree() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path precious = Files.writeString(outside.resolve("precious"), "keep");
        Path root = Files.createDirectories(tmp.resolve("rootfs/etc"));
        Files.createSymbolicLink(tmp.resolve("rootfs/escape"), outside);
        Files.createSymbolicLink(tmp.resolve("rootfs/etc/passwd"), precious);
        Files.createSymbolicLink(tmp.resolve("rootfs/up"), Path.of("../outside"));
        dir.destroy("dir:" + tmp.resolve("rootfs"));
        assertFalse(Files.exists(tmp.resolve("rootfs"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(precious));
        assertEquals(List.of(precious), Files.list(outside).toList());
        assertTrue(Files.isDirectory(root.getParent().getParent()));
    }

    @Test
    void destroyOfARootfsThatIsGoneIsNotAnError() {
        dir.destroy("dir:" + tmp.resolve("never-made"));
        dir.destroy(tmp.resolve("never-made").toString());
        assertFalse(Files.exists(tmp.resolve("never-made")));
    }

    @Test
    void destroyRefusesTheRootAndUnnormalizedPaths() {
        assertEquals("Refusing to destroy rootfs \"dir:/\": it is the root directory",
                assertThrows(BackendException.class, () -> dir.destroy("dir:/")).getMessage());
        assertThrows(BackendException.class, () -> dir.destroy("dir:" + tmp + "/x/../.."));
        assertThrows(BackendException.class, () -> dir.destroy("dir:relative"));
        assertTrue(Files.isDirectory(tmp));
    }

    @Test
    void copyMakesAnIndependentTreeAndRefusesAnExistingTarget() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Files.createDirectories(src.resolve("sub/deeper"));
        Files.writeString(src.resolve("sub/deeper/b.txt"), "beta");
        Files.createSymbolicLink(src.resolve("link"), Path.of("a.txt"));
        Files.createLink(src.resolve("hard"), src.resolve("a.txt"));
        Path cdir = Files.createDirectories(tmp.resolve("lxcpath/c2"));
        StorageCopyRequest req = new StorageCopyRequest("dir:" + src, src, "c2", cdir, Map.of(),
                OptionalLong.empty());

        assertEquals("dir:" + cdir.resolve("rootfs"), dir.copy(req));

        Path rootfs = cdir.resolve("rootfs");
        assertEquals("alpha", Files.readString(rootfs.resolve("a.txt")));
        assertEquals("beta", Files.readString(rootfs.resolve("sub/deeper/b.txt")));
        assertEquals(Path.of("a.txt"), Files.readSymbolicLink(rootfs.resolve("link")));
        assertTrue(Files.isSameFile(rootfs.resolve("a.txt"), rootfs.resolve("hard")), "hard link kept");
        assertFalse(Files.isSameFile(src.resolve("a.txt"), rootfs.resolve("a.txt")), "nothing shared");
        BackendException again = assertThrows(BackendException.class, () -> dir.copy(req));
        assertEquals("Failed to copy rootfs \"dir:" + src + "\" to \"" + rootfs + "\": it already exists",
                again.getMessage());
    }

    @Test
    void failedCopyRemovesWhatItMade() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("a.txt"), "alpha");
        Path cdir = tmp.resolve("lxcpath/c3");
        Files.createDirectories(cdir);
        StorageCopyRequest req = new StorageCopyRequest("dir:" + src.resolve("missing"), src.resolve("missing"),
                "c3", cdir, Map.of("dir", tmp.resolve("new/parent/rootfs").toString()), OptionalLong.empty());
        BackendException e = assertThrows(BackendException.class, () -> dir.copy(req));
        assertTrue(e.getMessage().startsWith("Failed to copy rootfs \"dir:" + src.resolve("missing") + "\" to \""
                + tmp.resolve("new/parent/rootfs") + "\": "), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("new")), "parents made for the copy are removed");
    }
}
