package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.itests.ContainerCli.Result;

/**
 * {@code kill -9} of the runtime in the middle of {@code lxc-snapshot} and {@code lxc-copy}: each runs in a
 * one-command {@code bin/lxj} process of its own ({@code LXJ_NO_DAEMON=1}, so the runtime doing the copy is that
 * process), killed once the new rootfs is being filled. Afterwards the source is unchanged (a hash of its tree
 * before and after), the half-made snapshot or clone is never listed, the next command removes it, and no mount or
 * loop device of the killed command stays. Root; private lxcpaths removed afterwards.
 */
class InterruptedCloneIT {
    private static final Path LXJ = LxjExamSupport.DIST.resolve("bin/lxj");
    /** Enough small files that the copy takes seconds even on a fast disk (every inode is a create). */
    private static final int SMALL_FILES = 3000;
    private static final int BIG_FILES = 20;

    private ContainerCli cli;
    private final List<String> created = new ArrayList<>();
    private Process killed;
    /** Where the tests mount an image to fill or read it: outside the lxcpath. */
    private Path scratch;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        cli = ContainerCli.create("lxj-it-kill-");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (killed != null) {
            killed.destroyForcibly().waitFor(ContainerCli.COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        if (cli == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        if (scratch != null) {
            if (new ProcessBuilder("mountpoint", "-q", scratch.toString()).start().waitFor() == 0) {
                new ProcessBuilder("umount", "-l", scratch.toString()).start().waitFor();
            }
            Files.deleteIfExists(scratch);
        }
        for (int i = created.size() - 1; i >= 0; i--) {
            if (Files.exists(cli.lxcpath.resolve(created.get(i)))) {
                Result r = cli.lxc("lxc-destroy", created.get(i), "-f", "-s");
                if (r.status() != 0) {
                    problems.add(r.toString());
                }
            }
        }
        for (String m : cli.strayMounts()) {
            new ProcessBuilder("umount", "-l", m).start().waitFor();
            problems.add("stray mount " + m);
        }
        problems.addAll(loopDevicesUnder(cli.lxcpath));
        problems.addAll(cli.destroyAll());
        assertEquals(List.of(), problems, "cleanup of " + cli.lxcpath);
    }

    @Test
    void aSnapshotKilledMidWayIsNeverListedAndTheNextCommandRemovesIt() throws Exception {
        create("c1");
        Path rootfs = cli.lxcpath.resolve("c1/rootfs");
        payload(rootfs);
        String before = treeHash(rootfs);
        Path snap = cli.lxcpath.resolve("c1/snaps/snap0");

        killMidWay(snap.resolve("rootfs/payload"), "lxc-snapshot", "-n", "c1", "-P", cli.lxcpath.toString());

        assertTrue(Files.exists(snap.resolve("partial")), "the kill left a half snapshot behind");
        Result list = cli.lxc("lxc-snapshot", "c1", "-L");
        list.assertSuccess();
        assertFalse(list.out().contains("snap0"), "a half snapshot is never listed: " + list);
        assertFalse(Files.exists(snap, LinkOption.NOFOLLOW_LINKS), "the listing removed the leftover");
        assertEquals(before, treeHash(rootfs), "the source is unchanged");

        Result again = cli.lxc("lxc-snapshot", "c1");
        again.assertSuccess();
        assertTrue(cli.lxc("lxc-snapshot", "c1", "-L").out().startsWith("snap0 ("), "snap0 is free again");
        assertEquals(before, treeHash(snap.resolve("rootfs")), "and a whole snapshot is the source's copy");
    }

    @Test
    void aLoopCopyKilledMidWayLeavesNoMountNoLoopDeviceAndIsRemovedByTheNextCommand() throws Exception {
        create("l1", "-B", "loop", "--fssize", "300M");
        Path image = cli.lxcpath.resolve("l1/rootdev");
        scratch = Files.createTempDirectory("lxj-it-fill-");
        String before;
        mount(image, scratch);
        try {
            payload(scratch);
            before = treeHash(scratch);
        } finally {
            umount(scratch);
        }

        created.add("l2");
        killMidWay(cli.lxcpath.resolve("l2/rootfs/payload"), "lxc-copy", "-n", "l1", "-N", "l2", "-P",
                cli.lxcpath.toString());

        assertTrue(Files.exists(cli.lxcpath.resolve("l2/partial")), "the kill left a half copy behind");
        assertFalse(cli.strayMounts().isEmpty(), "the killed command had the images mounted");
        Result ls = cli.run("lxc-ls", "-1", "-P", cli.lxcpath.toString());
        ls.assertSuccess();
        assertEquals("l1\n", ls.out(), "only the source is listed");
        assertFalse(Files.exists(cli.lxcpath.resolve("l2"), LinkOption.NOFOLLOW_LINKS), "the leftover is gone");
        assertEquals(List.of(), cli.strayMounts(), "its mounts, the source's included, are undone");
        assertEquals(List.of(), loopDevicesUnder(cli.lxcpath), "and so are its loop devices");

        mount(image, scratch);
        try {
            assertEquals(before, treeHash(scratch), "the source is unchanged");
        } finally {
            umount(scratch);
        }
    }

    private void create(String name, String... args) throws Exception {
        created.add(name);
        Path conf = Files.writeString(cli.lxcpath.resolve(name + ".conf"), "lxc.net.0.type = empty\n");
        List<String> all = new ArrayList<>(List.of("-t", "busybox", "-f", conf.toString()));
        all.addAll(List.of(args));
        cli.lxc("lxc-create", name, all.toArray(String[]::new)).assertSuccess();
    }

    /** Runs {@code bin/lxj ARGS} as a runtime of its own and kills it with SIGKILL once {@code copying} exists. */
    private void killMidWay(Path copying, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(LXJ.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LXJ_NO_DAEMON", "1");
        killed = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ContainerCli.COMMAND_TIMEOUT_SECONDS);
        while (!Files.exists(copying, LinkOption.NOFOLLOW_LINKS)) {
            assertTrue(killed.isAlive(), "bin/lxj " + String.join(" ", args) + " ended (status "
                    + (killed.isAlive() ? "-" : killed.exitValue()) + ") before it copied anything");
            assertTrue(System.nanoTime() < deadline, "no copy began within " + ContainerCli.COMMAND_TIMEOUT_SECONDS
                    + " s");
            Thread.sleep(10); // polling for a file another process makes; correctness does not depend on it
        }
        killed.destroyForcibly();
        assertTrue(killed.waitFor(ContainerCli.COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(137, killed.exitValue(), "killed with SIGKILL mid-way");
        killed = null;
    }

    /** Big files, then many small ones in {@code payload/}, so a copy is still running when it is killed. */
    private static void payload(Path root) throws IOException {
        Path big = Files.createDirectories(root.resolve("payload/big"));
        Random random = new Random(42);
        byte[] block = new byte[1 << 20];
        for (int i = 0; i < BIG_FILES; i++) {
            random.nextBytes(block);
            Files.write(big.resolve("f" + i), block);
        }
        for (int i = 0; i < SMALL_FILES; i++) {
            Path dir = Files.createDirectories(root.resolve("payload/small/d" + i / 100));
            Files.writeString(dir.resolve("s" + i), "small file " + i + "\n".repeat(i % 50));
        }
    }

    /** SHA-256 over every path, its type, mode, owner, size, mtime and content, in path order. */
    private static String treeHash(Path root) throws Exception {
        SortedMap<String, String> entries = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                var a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                StringBuilder s = new StringBuilder(a.toString().length());
                s.append(Integer.toOctalString((Integer) a.get("mode"))).append(' ').append(a.get("uid")).append(' ')
                        .append(a.get("gid")).append(' ').append(a.get("size")).append(' ')
                        .append(a.get("lastModifiedTime"));
                if (Files.isSymbolicLink(p)) {
                    s.append(" -> ").append(Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    s.append(' ').append(HexFormat.of().formatHex(
                            MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
                }
                entries.put(root.relativize(p).toString(), s.toString());
            }
        }
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        entries.forEach((k, v) -> all.update((k + "\0" + v + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(all.digest());
    }

    private static void mount(Path image, Path on) throws Exception {
        exec("mount", "-o", "loop", image.toString(), on.toString());
    }

    private static void umount(Path on) throws Exception {
        exec("umount", on.toString());
    }

    private static void exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(ContainerCli.COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
    }

    /** Loop devices whose backing file lies under {@code dir}. */
    private static List<String> loopDevicesUnder(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> loops = Files.list(Path.of("/sys/block"))) {
            for (Path l : (Iterable<Path>) loops::iterator) {
                Path backing = l.resolve("loop/backing_file");
                if (l.getFileName().toString().startsWith("loop") && Files.exists(backing)) {
                    String file = new String(Files.readAllBytes(backing), StandardCharsets.UTF_8).trim();
                    if (file.startsWith(dir + "/")) {
                        found.add("/dev/" + l.getFileName() + " (" + file + ")");
                    }
                }
            }
        }
        return found;
    }
}
