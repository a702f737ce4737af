package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lxj.itests.ContainerCli.Result;

/**
 * Each storage backend through {@code bin/lxj} as a user drives it: create a busybox container on it, start it,
 * write a file inside, clone it ({@code lxc-copy -s} where copy-on-write applies, else a full copy), check the
 * clone sees the file and the source does not see the clone's change, destroy the clone, snapshot and restore,
 * destroy everything;
 * afterwards nothing of it is mounted or attached to a loop device. The btrfs case runs on a btrfs the test
 * makes on a loop device as the lxcpath. A backend whose bundle is not in the distribution is skipped.
 */
class StorageBackendsIT {

    @ParameterizedTest
    @ValueSource(strings = {"dir", "overlay", "loop", "btrfs"})
    void lifecycleOnBackend(String backend) throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        if (backend.equals("btrfs")) {
            assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mkfs.btrfs")) || Files.isExecutable(Path.of("/sbin/mkfs.btrfs")),
                    "mkfs.btrfs is not installed (btrfs-progs)");
        }
        ContainerCli cli = ContainerCli.create("lxj-it-storage-" + backend + "-");
        Path image = Files.createTempFile(Path.of("/var/tmp"), "lxj-it-btrfs-", ".img");
        boolean btrfsMounted = false;
        List<String> problems = new ArrayList<>();
        try {
            if (backend.equals("btrfs")) {
                try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                    f.setLength(512L << 20);
                }
                host("mkfs.btrfs", "-q", "-f", image.toString());
                host("mount", "-o", "loop", image.toString(), cli.lxcpath.toString());
                btrfsMounted = true;
            }
            exercise(cli, backend);
        } finally {
            problems.addAll(cli.destroyAll());
            if (btrfsMounted) {
                problems.remove("mounts left: [" + cli.lxcpath + "]");
                host("umount", cli.lxcpath.toString());
                LxjExamSupport.deleteTree(cli.lxcpath);
                ContainerCli.removeRunFiles(cli.lxcpath);
            }
            String loops = host("losetup", "-a");
            Files.deleteIfExists(image);
            assertFalse(loops.contains(image.toString()) || loops.contains(cli.lxcpath.toString()),
                    "a loop device is left: " + loops);
        }
        assertEquals(List.of(), problems, "cleanup of " + cli.lxcpath);
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(cli.lxcpath.toString()),
                "nothing of " + cli.lxcpath + " is mounted");
    }

    private static void exercise(ContainerCli cli, String backend) throws Exception {
        List<String> createArgs = new ArrayList<>(List.of("-t", "busybox", "-B", backend));
        if (backend.equals("loop")) {
            createArgs.addAll(List.of("--fssize", "256M"));
        }
        Result create = cli.lxc("lxc-create", "a", createArgs.toArray(String[]::new));
        assumeTrue(create.status() == 0 || !create.err().contains("no storage backend"),
                "the " + backend + " storage bundle is not in the distribution: " + create.err());
        create.assertSuccess();
        assertTrue(rootfsPath(cli, "a").startsWith(backend + ":"), "rootfs of a: " + rootfsPath(cli, "a"));

        start(cli, "a");
        cli.sh("a", "echo from-a > /hello && sync");
        cli.lxc("lxc-stop", "a").assertSuccess();

        // a snapshot clone where the backend can copy-on-write (dir becomes overlay), else a full copy
        boolean cow = !backend.equals("loop");
        Result copy = cow ? cli.lxc("lxc-copy", "a", "-N", "b", "-s") : cli.lxc("lxc-copy", "a", "-N", "b");
        copy.assertSuccess();
        String expectedCloneType = backend.equals("dir") ? "overlay" : backend;
        assertTrue(rootfsPath(cli, "b").startsWith(expectedCloneType + ":"), "rootfs of b: " + rootfsPath(cli, "b"));
        start(cli, "b");
        assertEquals("from-a\n", cli.sh("b", "cat /hello"), "the clone has the source's file");
        cli.sh("b", "echo from-b > /hello && sync");
        cli.lxc("lxc-stop", "b").assertSuccess();

        start(cli, "a");
        assertEquals("from-a\n", cli.sh("a", "cat /hello"), "the clone's change stays in the clone");
        cli.lxc("lxc-stop", "a").assertSuccess();
        // LXC refuses a restore while dependent clones exist: the clone goes first
        cli.lxc("lxc-destroy", "b").assertSuccess();

        Result snap = cli.lxc("lxc-snapshot", "a");
        if (snap.status() == 0) {
            Result list = cli.lxc("lxc-snapshot", "a", "-L");
            list.assertSuccess();
            assertTrue(list.out().startsWith("snap0 "), list.toString());
            cli.lxc("lxc-snapshot", "a", "-r", "snap0", "-N", "r").assertSuccess();
            start(cli, "r");
            assertEquals("from-a\n", cli.sh("r", "cat /hello"), "the restored container has the snapshot's file");
            cli.lxc("lxc-stop", "r").assertSuccess();
            cli.lxc("lxc-destroy", "r").assertSuccess();
        } else {
            // dir and loop snapshot through the copy provider bundle; without it LXC's message is expected
            assertTrue(snap.err().contains("backing store cannot be backed up"), snap.toString());
        }
        cli.lxc("lxc-destroy", "a", "-s").assertSuccess();
        assertFalse(Files.exists(cli.lxcpath.resolve("a")), "a is gone");
    }

    private static void start(ContainerCli cli, String name) throws IOException, InterruptedException {
        cli.lxc("lxc-start", name, "-s", "lxc.net.0.type=empty").assertSuccess();
        cli.awaitState(name, "RUNNING");
    }

    private static String rootfsPath(ContainerCli cli, String name) throws IOException {
        for (String line : Files.readAllLines(cli.lxcpath.resolve(name).resolve("config"))) {
            if (line.startsWith("lxc.rootfs.path")) {
                return line.substring(line.indexOf('=') + 1).strip();
            }
        }
        return "";
    }

    private static String host(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ": " + out);
        return out;
    }
}
