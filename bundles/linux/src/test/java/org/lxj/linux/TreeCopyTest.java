package org.lxj.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.internal.JnaSyscalls;

/**
 * {@link TreeCopy} on real trees without root: the pooled copy of many files equals the single-threaded one and
 * the source (content, modes, times, links, holes), and a failure in a pool thread fails the copy.
 */
class TreeCopyTest {

    @TempDir
    Path tmp;

    private final JnaSyscalls sys = new JnaSyscalls();

    @Test
    void aPooledCopyEqualsTheSourceAndASingleThreadedCopy() throws Exception {
        Path src = build(tmp.resolve("src"));
        Map<String, String> expected = describe(src);

        TreeCopy.Result pooled = new TreeCopy(sys, 3).copy(src, tmp.resolve("pooled"));
        TreeCopy.Result single = new TreeCopy(sys, 0).copy(src, tmp.resolve("single"));

        assertEquals(expected, describe(tmp.resolve("pooled")));
        assertEquals(expected, describe(tmp.resolve("single")));
        assertEquals(single, pooled, "the same entries and bytes counted");
        assertEquals(expected.size(), pooled.entries(), "every inode and link, the top directory too");
        assertTrue(Files.isSameFile(tmp.resolve("pooled/d3/hard-a"), tmp.resolve("pooled/d7/hard-b")),
                "hard links stay links");
        assertTrue(blocks(tmp.resolve("pooled/sparse")) < 64, "the hole stays a hole");
    }

    @Test
    void aFailureInAPoolThreadFailsTheCopyNamingThePath() throws Exception {
        Path src = build(tmp.resolve("src"));
        String broken = src.resolve("d5/f7").toString();
        Syscalls failing = (Syscalls) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Syscalls.class}, (proxy, method, args) -> {
                    if (method.getName().equals("open") && broken.equals(args[0])) {
                        throw new SyscallException(Syscall.OPEN, Errno.EIO, broken);
                    }
                    try {
                        return method.invoke(sys, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        SyscallException e = assertThrows(SyscallException.class,
                () -> new TreeCopy(failing, 2).copy(src, tmp.resolve("copy")));

        assertTrue(e.is(Errno.EIO));
        assertEquals(broken, e.argument());
    }

    /** Ten directories of 40 files each, odd modes and times, a read-only directory, links and a sparse file. */
    private static Path build(Path src) throws IOException {
        Files.createDirectories(src);
        for (int d = 0; d < 10; d++) {
            Path dir = Files.createDirectories(src.resolve("d" + d));
            for (int f = 0; f < 40; f++) {
                Path file = dir.resolve("f" + f);
                Files.write(file, ("file " + d + "/" + f + "\n").repeat(f * 37).getBytes(StandardCharsets.UTF_8));
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(f % 2 == 0 ? "rwxr-x---"
                        : "rw-r--r--"));
                Files.setLastModifiedTime(file, FileTime.fromMillis(1_600_000_000_000L + d * 1000L + f));
            }
        }
        Files.writeString(src.resolve("d3/hard-a"), "shared");
        Files.createLink(src.resolve("d7/hard-b"), src.resolve("d3/hard-a"));
        Files.createSymbolicLink(src.resolve("d1/link"), Path.of("../d2/f3"));
        try (RandomAccessFile r = new RandomAccessFile(src.resolve("sparse").toFile(), "rw")) {
            r.setLength(8L << 20);
            r.seek(4L << 20);
            r.write("middle".getBytes(StandardCharsets.UTF_8));
        }
        Files.setPosixFilePermissions(src.resolve("d9"), PosixFilePermissions.fromString("r-xr-x---"));
        Files.setLastModifiedTime(src.resolve("d4"), FileTime.fromMillis(1_500_000_000_000L));
        return src;
    }

    private static long blocks(Path p) throws IOException {
        Process proc = new ProcessBuilder("stat", "-c", "%b", p.toString()).start();
        try {
            proc.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return Long.parseLong(new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    /** Per relative path: type, mode, size, mtime, content or link target. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = root.relativize(p).toString();
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,lastModifiedTime",
                        LinkOption.NOFOLLOW_LINKS);
                StringBuilder s = new StringBuilder(Integer.toOctalString((Integer) a.get("mode")));
                if (Files.isSymbolicLink(p)) {
                    s.append(" -> ").append(Files.readSymbolicLink(p));
                } else {
                    s.append(' ').append(a.get("lastModifiedTime"));
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        s.append(' ').append(a.get("size")).append(' ')
                                .append(java.util.Arrays.hashCode(Files.readAllBytes(p)));
                    }
                }
                out.put(rel, s.toString());
            }
        }
        return out;
    }
}
