package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.itests.ContainerCli.Result;

/**
 * {@code lxc-snapshot} and {@code lxc-copy} on busybox containers through {@code bin/lxj}: snapshots of a
 * {@code dir} container (full copies), a snapshot clone that becomes {@code overlay} and starts, an ephemeral
 * container that disappears when it stops, and the destroy refusals LXC has; no mount or directory is left.
 * Root and overlayfs; every container lives in a private lxcpath removed afterwards.
 */
class SnapshotCopyIT {
    private static final Pattern LIST_LINE = Pattern.compile("snap\\d+ \\(.*/snaps\\) \\d{4}:\\d{2}:\\d{2} \\d{2}:\\d{2}:\\d{2}");

    private ContainerCli cli;
    /** Containers to destroy after the test, dependents first. */
    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        assumeTrue(new String(Files.readAllBytes(Path.of("/proc/filesystems")), StandardCharsets.UTF_8)
                .contains("\toverlay\n"), "overlayfs is not available on this host");
        cli = ContainerCli.create("lxj-it-snap-");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (cli == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (int i = created.size() - 1; i >= 0; i--) {
            String name = created.get(i);
            if (Files.exists(cli.lxcpath.resolve(name))) {
                Result r = cli.lxc("lxc-destroy", name, "-f", "-s");
                if (r.status() != 0) {
                    problems.add(r.toString());
                }
            }
        }
        problems.addAll(cli.destroyAll());
        assertEquals(List.of(), problems, "cleanup of " + cli.lxcpath);
    }

    /** A busybox container with only a loopback network: nothing here touches the host's network. */
    private void create(String name) throws Exception {
        created.add(name);
        Path conf = Files.writeString(cli.lxcpath.resolve(name + ".conf"), "lxc.net.0.type = empty\n");
        cli.lxc("lxc-create", name, "-t", "busybox", "-f", conf.toString()).assertSuccess();
    }

    private String read(String relative) throws Exception {
        return Files.readString(cli.lxcpath.resolve(relative));
    }

    @Test
    void snapshotListRestoreAndDestroyOfADirContainer() throws Exception {
        create("c1");
        Files.writeString(cli.lxcpath.resolve("c1/rootfs/data"), "v1");
        Path comment = Files.writeString(cli.lxcpath.resolve("comment.txt"), "first snapshot comment\n");

        assertEquals("No snapshots\n", cli.lxc("lxc-snapshot", "c1", "-L").out());
        cli.lxc("lxc-snapshot", "c1", "-c", comment.toString()).assertSuccess();
        cli.lxc("lxc-snapshot", "c1").assertSuccess();
        Path snaps = cli.lxcpath.resolve("c1/snaps");
        assertEquals(List.of("comment", "config", "rootfs", "ts"), names(snaps.resolve("snap0")));
        assertEquals(List.of("config", "rootfs", "ts"), names(snaps.resolve("snap1")));
        assertTrue(read("c1/snaps/snap0/config").contains("lxc.rootfs.path = dir:" + snaps.resolve("snap0/rootfs")
                + "\n"), read("c1/snaps/snap0/config"));
        assertEquals("v1", read("c1/snaps/snap0/rootfs/data"));

        Result list = cli.lxc("lxc-snapshot", "c1", "-L");
        list.assertSuccess();
        List<String> lines = list.out().lines().toList();
        assertEquals(2, lines.size(), list.toString());
        assertTrue(lines.get(0).startsWith("snap0 (" + snaps + ") ") && LIST_LINE.matcher(lines.get(0)).matches(),
                list.toString());
        Result withComments = cli.lxc("lxc-snapshot", "c1", "-L", "-C");
        assertEquals(List.of(lines.get(0), "first snapshot comment", lines.get(1)), withComments.out().lines().toList());

        Files.writeString(cli.lxcpath.resolve("c1/rootfs/data"), "v2");
        created.add("c2");
        cli.lxc("lxc-snapshot", "c1", "-r", "snap0", "-N", "c2").assertSuccess();
        assertEquals("v1", read("c2/rootfs/data"));
        assertTrue(read("c2/config").contains("lxc.uts.name = c2\n"), read("c2/config"));
        cli.lxc("lxc-snapshot", "c1", "-r", "snap0").assertSuccess();
        assertEquals("v1", read("c1/rootfs/data"));

        Result refused = cli.lxc("lxc-destroy", "c1");
        assertNotEquals(0, refused.status());
        assertTrue(refused.err().contains("has snapshots"), refused.toString());

        cli.lxc("lxc-snapshot", "c1", "-d", "snap0").assertSuccess();
        assertEquals(1, cli.lxc("lxc-snapshot", "c1", "-L").out().lines().count());
        cli.lxc("lxc-snapshot", "c1", "-d", "ALL").assertSuccess();
        assertEquals("No snapshots\n", cli.lxc("lxc-snapshot", "c1", "-L").out());
        assertFalse(Files.exists(snaps));

        cli.lxc("lxc-snapshot", "c1").assertSuccess();
        cli.lxc("lxc-destroy", "c1", "-s").assertSuccess();
        assertFalse(Files.exists(cli.lxcpath.resolve("c1")));
    }

    @Test
    void aSnapshotCloneOfADirContainerIsOverlayStartsAndHoldsItsOrigin() throws Exception {
        create("base");
        Files.writeString(cli.lxcpath.resolve("base/rootfs/data"), "base");
        created.add("clone");
        cli.lxc("lxc-copy", "base", "-N", "clone", "-s").assertSuccess();

        Path lower = cli.lxcpath.resolve("base/rootfs");
        assertTrue(read("clone/config").contains("lxc.rootfs.path = overlay:" + lower + ":"
                + cli.lxcpath.resolve("clone/overlay/delta") + "\n"), read("clone/config"));
        assertEquals(cli.lxcpath + "\nclone\n", read("base/lxc_snapshots"));
        assertEquals(cli.lxcpath + "\nbase\n", read("clone/lxc_rdepends"));

        cli.lxc("lxc-start", "clone").assertSuccess();
        assertEquals("clone\n", cli.sh("clone", "hostname"));
        assertEquals("base", cli.sh("clone", "cat /data"));
        cli.sh("clone", "echo changed > /data");
        cli.lxc("lxc-stop", "clone", "-k").assertSuccess();
        assertEquals("base", read("base/rootfs/data"), "the origin is untouched");
        assertEquals("changed\n", read("clone/overlay/delta/data"));

        Result refused = cli.lxc("lxc-destroy", "base");
        assertNotEquals(0, refused.status());
        assertTrue(refused.err().contains("has clones"), refused.toString());
        cli.lxc("lxc-destroy", "clone").assertSuccess();
        assertFalse(Files.exists(cli.lxcpath.resolve("base/lxc_snapshots")));
        cli.lxc("lxc-destroy", "base").assertSuccess();
        assertEquals(List.of(), cli.strayMounts());
    }

    @Test
    void anEphemeralCopyRunsAndIsGoneAfterItStops() throws Exception {
        create("eph");
        created.add("e1");
        Result copy = cli.lxc("lxc-copy", "eph", "-N", "e1", "-e", "-m", "bind=" + cli.lxcpath + ":/mnt/host:ro");
        copy.assertSuccess();
        assertEquals("Created e1 as clone of eph\n", copy.out());
        assertTrue(read("e1/config").contains("lxc.ephemeral = 1\n"), read("e1/config"));
        cli.awaitState("e1", "RUNNING");
        assertTrue(cli.sh("e1", "ls /mnt/host").contains("eph"), "the bind mount is there");

        cli.lxc("lxc-stop", "e1").assertSuccess();
        Result ls = cli.run("lxc-ls", "-P", cli.lxcpath.toString());
        assertEquals("eph", ls.out().strip(), ls.toString());
        assertFalse(Files.exists(cli.lxcpath.resolve("e1")));
        assertFalse(Files.exists(cli.lxcpath.resolve("eph/lxc_snapshots")), "the origin forgot it");
        assertEquals(List.of(), cli.strayMounts());
    }

    @Test
    void anEphemeralCopyOnATmpfsWritesNothingToDiskAndLeavesNoMount() throws Exception {
        create("tsrc");
        created.add("t1");
        Result copy = cli.lxc("lxc-copy", "tsrc", "-N", "t1", "-e", "-t");
        copy.assertSuccess();
        assertEquals("Created t1 as clone of tsrc\nContainer is placed on tmpfs.\nRebooting will cause all changes "
                + "made to it to be lost!\n", copy.out());
        cli.awaitState("t1", "RUNNING");
        Path overlay = cli.lxcpath.resolve("t1/overlay");
        assertTrue(mountTypes().contains(overlay + " tmpfs"), "the upper directory lies on a tmpfs: " + mountTypes());
        assertEquals("t1", cli.sh("t1", "hostname").strip());
        cli.sh("t1", "echo lost > /written");
        assertEquals("lost\n", Files.readString(overlay.resolve("delta/written")), "the change is on the tmpfs");

        cli.lxc("lxc-stop", "t1").assertSuccess();
        assertFalse(Files.exists(cli.lxcpath.resolve("t1")));
        assertFalse(Files.exists(cli.lxcpath.resolve("tsrc/rootfs/written")), "the source never saw it");
        assertEquals(List.of(), cli.strayMounts());

        Result keep = cli.lxc("lxc-copy", "tsrc", "-N", "t2", "-e", "-t", "-D");
        assertEquals(1, keep.status(), keep.toString());
        assertTrue(keep.err().contains("A container can only be placed on a tmpfs when the overlay storage driver "
                + "is used"), keep.toString());
        assertFalse(Files.exists(cli.lxcpath.resolve("t2")));
    }

    @Test
    void aRunningSourceIsCopiedOnlyWithAllowRunning() throws Exception {
        create("run1");
        created.add("run2");
        cli.lxc("lxc-start", "run1").assertSuccess();
        cli.awaitState("run1", "RUNNING");

        Result refused = cli.lxc("lxc-copy", "run1", "-N", "run2");
        assertEquals(1, refused.status(), refused.toString());
        assertTrue(refused.err().contains("Original container (run1) is running. Use --allowrunning if you want to "
                + "force a snapshot of the running container"), refused.toString());
        assertFalse(Files.exists(cli.lxcpath.resolve("run2")));
        Result snap = cli.lxc("lxc-snapshot", "run1");
        assertEquals(1, snap.status(), "lxc-snapshot has no -a and refuses as LXC: " + snap);

        cli.lxc("lxc-copy", "run1", "-N", "run2", "-a").assertSuccess();
        assertTrue(Files.isRegularFile(cli.lxcpath.resolve("run2/rootfs/bin/busybox")), "a copy of the running one");
        cli.lxc("lxc-stop", "run1", "-k").assertSuccess();
    }

    /** "mountpoint fstype" of every mount of this mount namespace. */
    private static List<String> mountTypes() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream().map(l -> {
            String[] f = l.split(" ");
            int sep = java.util.Arrays.asList(f).indexOf("-");
            return f[4] + " " + f[sep + 1];
        }).toList();
    }

    private static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
