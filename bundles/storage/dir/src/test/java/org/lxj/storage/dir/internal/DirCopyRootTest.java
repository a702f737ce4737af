package org.lxj.storage.dir.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.lxj.linux.FileTimes;
import org.lxj.linux.Stat;
import org.lxj.linux.SyscallException;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.storage.StorageCopyRequest;

/**
 * The dir backend's copy on a real tree holding every kind of inode and metadata a rootfs has: the copy must
 * be identical in content and metadata. Needs root (device nodes, foreign owners, trusted and security xattrs).
 */
class DirCopyRootTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final DirStorageBackend dir = new DirStorageBackend(sys);

    @Test
    void copyIsIdenticalInContentAndMetadata() throws Exception {
        assumeTrue(sys.geteuid() == 0, "needs root for device nodes, owners and trusted xattrs");
        Path tmp = Files.createTempDirectory(Path.of("/var/tmp"), "lxj-dircopy");
        try {
            Path src = Files.createDirectories(tmp.resolve("src"));
            assumeTrue(supportsXattrs(src), "the temp filesystem has no user xattrs or POSIX ACLs");
            build(src);
            Map<String, String> before = describe(src);
            Path cdir = Files.createDirectories(tmp.resolve("lxcpath/copy"));

            String path = dir.copy(new StorageCopyRequest("dir:" + src, src, "copy", cdir, Map.of(),
                    OptionalLong.empty()));

            assertEquals("dir:" + cdir.resolve("rootfs"), path);
            Map<String, String> copy = describe(cdir.resolve("rootfs"));
            assertEquals(before.keySet(), copy.keySet(), "same entries");
            for (String rel : before.keySet()) {
                assertEquals(before.get(rel), copy.get(rel), "metadata and content of " + rel);
            }
            assertEquals(before, describe(src), "source unchanged");
            long blocks = blocks(cdir.resolve("rootfs/sparse.img"));
            assertTrue(blocks * 512 < (1 << 20), "the sparse file stays sparse: " + blocks + " blocks");
            assertFalse(sys.lstat(src.resolve("hard1").toString()).ino()
                    == sys.lstat(cdir.resolve("rootfs/hard1").toString()).ino(), "own inodes");
        } finally {
            removeTree(tmp);
        }
        assertFalse(Files.exists(tmp), "temp tree removed");
    }

    private boolean supportsXattrs(Path dir) {
        try {
            sys.lsetxattr(dir.toString(), "user.lxj.probe", new byte[] {1});
            sys.lsetxattr(dir.toString(), "system.posix_acl_default", acl(0));
            return true;
        } catch (SyscallException e) {
            return false;
        }
    }

    private void build(Path src) throws IOException {
        Path etc = Files.createDirectories(src.resolve("etc/sub"));
        Files.writeString(etc.resolve("hostname"), "c1\n");
        sys.chown(etc.toString(), 1234, 5678);
        sys.chmod(etc.toString(), 0750);
        Files.write(src.resolve("empty"), new byte[0]);
        byte[] random = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(random);
        Files.write(src.resolve("big.bin"), random);

        Path suid = src.resolve("suid");
        Files.writeString(suid, "#!/bin/sh\n");
        sys.chmod(suid.toString(), 04755);
        Path sgid = src.resolve("sgid-dir");
        Files.createDirectories(sgid);
        sys.chown(sgid.toString(), 0, 50);
        sys.chmod(sgid.toString(), 02775);

        Path cap = src.resolve("ping");
        Files.writeString(cap, "binary");
        sys.chmod(cap.toString(), 0755);
        sys.lsetxattr(cap.toString(), "security.capability", capability(13));
        sys.lsetxattr(etc.resolve("hostname").toString(), "user.note", "hello".getBytes(StandardCharsets.UTF_8));
        sys.lsetxattr(etc.resolve("hostname").toString(), "trusted.secret", new byte[] {0, 1, 2});
        Path acl = src.resolve("acl.txt");
        Files.writeString(acl, "acl");
        sys.lsetxattr(acl.toString(), "system.posix_acl_access", acl(1000));
        sys.lsetxattr(etc.toString(), "system.posix_acl_default", acl(1001));

        try (FileChannel ch = FileChannel.open(src.resolve("sparse.img"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("middle".getBytes(StandardCharsets.UTF_8)), 5L << 20);
            ch.truncate(10L << 20);
        }
        Files.writeString(src.resolve("hard1"), "linked");
        Files.createLink(src.resolve("hard2"), src.resolve("hard1"));
        Files.createLink(etc.resolve("hard3"), src.resolve("hard1"));
        sys.chown(src.resolve("hard1").toString(), 7, 8);

        Path dev = Files.createDirectories(src.resolve("dev"));
        sys.mknod(dev.resolve("null").toString(), Stat.S_IFCHR | 0666, Stat.makedev(1, 3));
        sys.mknod(dev.resolve("loop200").toString(), Stat.S_IFBLK | 0660, Stat.makedev(7, 200));
        sys.chown(dev.resolve("loop200").toString(), 0, 6);
        sys.mknod(dev.resolve("fifo").toString(), Stat.S_IFIFO | 0620, 0);
        sys.mknod(dev.resolve("sock").toString(), Stat.S_IFSOCK | 0755, 0);
        sys.symlink("../etc/hostname", dev.resolve("rel-link").toString());
        sys.symlink("/nowhere/at/all", dev.resolve("dangling").toString());
        sys.lchown(dev.resolve("dangling").toString(), 42, 43);

        // atime after mtime and ctime: relatime leaves it alone when the trees are read
        long now = System.currentTimeMillis() / 1000;
        List<Path> all;
        try (Stream<Path> s = Files.walk(src)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        int i = 0;
        for (Path p : all) {
            sys.lutimens(p.toString(), new FileTimes(now + 3600 + i, 1000 + i, 1_000_000_000L + i, 123_456_789 - i));
            i++;
        }
    }

    /** A {@code system.posix_acl_*} value: owner rw, user {@code uid} r, group r, mask r, other none. */
    private static byte[] acl(int uid) {
        ByteBuffer b = ByteBuffer.allocate(4 + 5 * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(2);
        entry(b, 0x01, 6, -1);
        entry(b, 0x02, 4, uid);
        entry(b, 0x04, 4, -1);
        entry(b, 0x10, 4, -1);
        entry(b, 0x20, 0, -1);
        return b.array();
    }

    private static void entry(ByteBuffer b, int tag, int perm, int id) {
        b.putShort((short) tag).putShort((short) perm).putInt(id);
    }

    /** A version 2 {@code security.capability} value granting capability {@code bit}, effective. */
    private static byte[] capability(int bit) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x02000001).putInt(1 << bit).putInt(0).putInt(0).putInt(0);
        return b.array();
    }

    /** Every entry below {@code root} by relative path: type, mode, owner, device, size, times, xattrs, data. */
    private Map<String, String> describe(Path root) throws IOException, NoSuchAlgorithmException {
        Map<String, String> out = new TreeMap<>();
        Map<Long, String> firstByInode = new TreeMap<>();
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted().toList();
        }
        for (Path p : all) {
            String rel = root.relativize(p).toString();
            String path = p.toString();
            Stat st = sys.lstat(path);
            FileTimes t = sys.lstatTimes(path);
            StringBuilder d = new StringBuilder();
            d.append(String.format("mode=%07o uid=%d gid=%d rdev=%d:%d size=%d atime=%d.%d mtime=%d.%d",
                    st.mode(), st.uid(), st.gid(), Stat.major(st.rdev()), Stat.minor(st.rdev()),
                    st.isDirectory() ? 0 : st.size(), t.atimeSec(), t.atimeNsec(), t.mtimeSec(), t.mtimeNsec()));
            List<String> names = new ArrayList<>(sys.llistxattr(path));
            names.sort(null);
            for (String n : names) {
                d.append(' ').append(n).append('=').append(HexFormat.of().formatHex(sys.lgetxattr(path, n)));
            }
            if (!st.isDirectory() && st.nlink() > 1) {
                d.append(" links=").append(firstByInode.computeIfAbsent(st.ino(), k -> rel)).append('/')
                        .append(st.nlink());
            }
            if (st.isSymlink()) {
                d.append(" -> ").append(sys.readlink(path));
            } else if (st.isRegularFile()) {
                d.append(" sha256=").append(HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
            out.put(rel.isEmpty() ? "." : rel, d.toString());
        }
        return out;
    }

    private static long blocks(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("stat", "-c", "%b", p.toString()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, proc.waitFor(), out);
        return Long.parseLong(out);
    }

    private static void removeTree(Path top) throws IOException {
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
