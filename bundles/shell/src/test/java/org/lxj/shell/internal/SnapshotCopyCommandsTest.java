package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lxj.shell.internal.GoldenTest.P;
import static org.lxj.shell.internal.GoldenTest.oracleRuntime;
import static org.lxj.shell.internal.GoldenTest.split;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.Container;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.CopyRequest;
import org.lxj.api.SnapshotInfo;
import org.lxj.shell.internal.GoldenTest.Result;
import org.lxj.shell.internal.cli.BadArgumentException;

/** {@code lxc-snapshot} and {@code lxc-copy}: what reaches the runtime and LXC's output. */
class SnapshotCopyCommandsTest {

    /** Records the snapshot and copy calls. */
    static final class Recording extends FakeRuntime {
        final List<String> calls = new ArrayList<>();
        final List<CopyRequest> copies = new ArrayList<>();
        List<SnapshotInfo> snaps = List.of();

        Recording() {
            super(FakeRuntime.debianSystemConfig());
            oracleRuntime().list(P).forEach(this::add);
        }

        @Override
        public String snapshot(Path lxcpath, String name, Optional<Path> commentFile) {
            calls.add("snapshot " + name + " " + commentFile.map(Path::toString).orElse("-"));
            return "snap0";
        }

        @Override
        public List<SnapshotInfo> snapshots(Path lxcpath, String name) {
            return snaps;
        }

        @Override
        public Container restoreSnapshot(Path lxcpath, String name, String snapshot, Optional<String> newName) {
            if (name.equals("h7")) {
                throw new ContainerBusyException("Failed to restore \"snap0\" of \"h7\": container rootfs has "
                        + "dependent snapshots");
            }
            calls.add("restore " + name + " " + snapshot + " " + newName.orElse("-"));
            return null;
        }

        @Override
        public void destroySnapshot(Path lxcpath, String name, String snapshot) {
            calls.add("destroy " + name + " " + snapshot);
        }

        @Override
        public Container copy(CopyRequest request) {
            copies.add(request);
            Container c = FakeContainer.stopped(request.newLxcpath(), request.newName(), FakeConfig.of());
            add(c);
            return c;
        }

        @Override
        public Container rename(Path lxcpath, String name, String newName) {
            calls.add("rename " + name + " " + newName);
            return null;
        }
    }

    private final Recording runtime = new Recording();

    private Result snapshot(String args) {
        return GoldenTest.run(new SnapshotCommand(runtime, "0.1.0"), false, 0, split(args));
    }

    private Result copy(String args) {
        return GoldenTest.run(new CopyCommand(runtime, "0.1.0"), false, 0, split(args));
    }

    @Test
    void snapshotVerbsReachTheRuntime() {
        assertEquals(0, snapshot("-P /tmp/shell-oracle -n c1").status());
        assertEquals(0, snapshot("-P /tmp/shell-oracle -n c1 -c /tmp/c.txt").status());
        assertEquals(0, snapshot("-P /tmp/shell-oracle -n c1 -r snap0").status());
        assertEquals(0, snapshot("-P /tmp/shell-oracle -n c1 -r snap0 -N c9").status());
        assertEquals(0, snapshot("-P /tmp/shell-oracle -n c1 -d ALL").status());
        assertEquals(List.of("snapshot c1 -", "snapshot c1 /tmp/c.txt", "restore c1 snap0 -", "restore c1 snap0 c9",
                "destroy c1 ALL"), runtime.calls);
    }

    @Test
    void listingIsLxcs() {
        assertEquals("No snapshots\n", snapshot("-P /tmp/shell-oracle -n c1 -L").out());
        runtime.snaps = List.of(
                new SnapshotInfo("snap0", P.resolve("c1/snaps"), "2026:11:28 23:26:22", Optional.of("first\n")),
                new SnapshotInfo("snap1", P.resolve("c1/snaps"), "2026:11:28 23:26:23", Optional.empty()));
        assertEquals("snap0 (/tmp/shell-oracle/c1/snaps) 2026:11:28 23:26:22\n"
                + "snap1 (/tmp/shell-oracle/c1/snaps) 2026:11:28 23:26:23\n",
                snapshot("-P /tmp/shell-oracle -n c1 -L").out());
        assertEquals("snap0 (/tmp/shell-oracle/c1/snaps) 2026:11:28 23:26:22\nfirst\n"
                + "snap1 (/tmp/shell-oracle/c1/snaps) 2026:11:28 23:26:23\n",
                snapshot("-P /tmp/shell-oracle -n c1 -L -C").out());
    }

    @Test
    void snapshotFailuresAreReportedWithStatusOne() {
        Result r = snapshot("-P /tmp/shell-oracle -n h7 -r snap0 -N x");
        assertEquals(1, r.status());
        assertEquals("lxc-snapshot: h7: Failed to restore \"snap0\" of \"h7\": container rootfs has dependent "
                + "snapshots\n", r.err());
        Result missing = snapshot("-P /tmp/shell-oracle -n nope -L");
        assertEquals("lxc-snapshot: nope: Container is not defined\n", missing.err());
        assertEquals(1, missing.status());
    }

    @Test
    void copyBuildsTheRequest() {
        assertEquals(0, copy("-P /tmp/shell-oracle -n c1 -N c3 -s -K -M -B overlay -L 2G -- x y").status());
        CopyRequest r = runtime.copies.get(0);
        assertEquals(P, r.lxcpath());
        assertEquals(P, r.newLxcpath());
        assertEquals("c3", r.newName());
        assertTrue(r.snapshot() && r.keepName() && r.keepMac());
        assertEquals(List.of("overlay"), r.storageTypes());
        assertEquals("2G", r.storageOptions().get("fssize"));
        assertEquals(List.of("x", "y"), r.hookArguments());
        assertEquals(List.of(), r.extraConfig());

        assertEquals(0, copy("-P /tmp/shell-oracle -n c1 -N c4 -p /srv/other").status());
        assertEquals(Path.of("/srv/other"), runtime.copies.get(1).newLxcpath());
        assertTrue(!runtime.copies.get(1).snapshot());

        assertEquals(0, copy("-P /tmp/shell-oracle -n c1 -N c5 -R").status());
        assertEquals(List.of("rename c1 c5"), runtime.calls);
    }

    @Test
    void copyRefusalsReadAsLxcs() {
        Result noNew = copy("-P /tmp/shell-oracle -n c1");
        assertEquals("Error: You must provide a NEWNAME for the clone.\n", noNew.out());
        assertEquals(1, noNew.status());
        Result missing = copy("-P /tmp/shell-oracle -n nope -N x");
        assertEquals("Error: container nope is not defined\n", missing.err());
        assertEquals(1, missing.status());
        Result tmpfs = copy("-P /tmp/shell-oracle -n c1 -e -t -D");
        assertEquals("lxc-copy: c1: A container can only be placed on a tmpfs when the overlay storage driver is "
                + "used\n", tmpfs.err());
        assertEquals(1, tmpfs.status());
        assertTrue(runtime.copies.isEmpty());
    }

    @Test
    void tmpfsWithoutEphemeralIsIgnoredAndAllowRunningReachesTheRuntime() {
        assertEquals(0, copy("-P /tmp/shell-oracle -n c1 -N t1 -t").status());
        assertEquals(List.of(), runtime.copies.get(0).extraConfig(), "as LXC: -t only counts with -e");
        assertFalse(runtime.copies.get(0).allowRunning());

        assertEquals(0, copy("-P /tmp/shell-oracle -n c1 -N t2 -a").status());
        assertTrue(runtime.copies.get(1).allowRunning());
    }

    @Test
    void ephemeralCopiesAreSnapshotClonesMarkedEphemeralThenStarted() {
        Result r = copy("-P /tmp/shell-oracle -n c1 -e -m bind=/tmp:/mnt/t:ro");
        assertEquals(0, r.status(), r.toString());
        CopyRequest req = runtime.copies.get(0);
        assertTrue(req.newName().matches("c1_[A-Za-z0-9]{6}"), req.newName());
        assertTrue(req.snapshot());
        assertEquals(List.of("lxc.ephemeral = 1", "lxc.mount.entry = /tmp mnt/t none bind,optional,ro,create=dir 0 0"),
                req.extraConfig());
        assertEquals("Created " + req.newName() + " as clone of c1\n", r.out());
        assertEquals(1, runtime.started.size());

        copy("-P /tmp/shell-oracle -n c1 -e -D -N keep");
        assertEquals(List.of(), runtime.copies.get(1).extraConfig());
    }

    @Test
    void mountSpecificationsAsLxcCopyWritesThem() throws BadArgumentException {
        Path dir = Path.of("/var/lib/lxc/e1");
        List<CopyCommand.Mount> m = CopyCommand.Mount.parse("bind=/tmp,overlay=/usr/share:/opt/share", dir,
                CopyCommand.RandomSuffix.INSTANCE);
        assertEquals("/tmp tmp none bind,optional,rw,create=dir 0 0", m.get(0).entry());
        assertTrue(m.get(1).entry().matches("/usr/share opt/share overlay lowerdir=/usr/share,"
                + "upperdir=/var/lib/lxc/e1/delta#[A-Za-z0-9]{6},workdir=/var/lib/lxc/e1/work#[A-Za-z0-9]{6},"
                + "create=dir"), m.get(1).entry());
        assertEquals(2, m.get(1).directories().size());
        assertEquals("/etc/hostname etc/hostname none bind,optional,rw,create=file 0 0",
                CopyCommand.Mount.parse("bind=/etc/hostname:rw", dir, CopyCommand.RandomSuffix.INSTANCE).get(0)
                        .entry());
        org.junit.jupiter.api.Assertions.assertThrows(BadArgumentException.class,
                () -> CopyCommand.Mount.parse("bind=/a:/b:rx", dir, CopyCommand.RandomSuffix.INSTANCE));
        org.junit.jupiter.api.Assertions.assertThrows(BadArgumentException.class,
                () -> CopyCommand.Mount.parse("tmpfs=/a", dir, CopyCommand.RandomSuffix.INSTANCE));
    }
}
