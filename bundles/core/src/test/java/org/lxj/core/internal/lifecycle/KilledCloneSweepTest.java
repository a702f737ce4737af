package org.lxj.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ContainerState;
import org.lxj.api.config.SystemConfig;
import org.lxj.spi.storage.MountedRootfs;

/**
 * What a clone or snapshot killed with {@code kill -9} leaves (an unheld {@code partial}, the journal of the source
 * mount, a half-made rootfs, mounts inside the new directory) is undone by the next command: the source's rootfs
 * is unmounted through its backend unless the source runs by now, mounts inside are detached, the leftover goes,
 * and the container's snapshots stay listed as before.
 */
class KilledCloneSweepTest {
    @TempDir
    Path lxcpath;

    /** A storage backend whose rootfs is mounted on its target, like loop. */
    static final class MountingStorage extends FakeStorage {
        final List<String> unmounted = new CopyOnWriteArrayList<>();
        private final TableMounts table;

        MountingStorage(TableMounts table) {
            super("img");
            this.table = table;
        }

        @Override
        public MountedRootfs mount(String rootfsPath, Path target) {
            return new MountedRootfs(target, true);
        }

        @Override
        public void unmount(String rootfsPath, Path target) {
            unmounted.add(rootfsPath + " " + target);
            table.mounted.remove(target);
        }
    }

    /** The mount table: what is said to be mounted, and what was detached. */
    static final class TableMounts implements HostMounts {
        final Set<Path> mounted = new HashSet<>();
        final List<Path> detachedBelow = new ArrayList<>();

        @Override
        public boolean isMountPoint(Path path) {
            return mounted.contains(path);
        }

        @Override
        public List<Path> detachBelow(Path dir) {
            detachedBelow.add(dir);
            List<Path> below = mounted.stream().filter(p -> p.startsWith(dir)).toList();
            mounted.removeAll(below);
            return below;
        }
    }

    private final TableMounts mounts = new TableMounts();
    private final MountingStorage img = new MountingStorage(mounts);

    private Lifecycle runtime(ContainerState sourceState) {
        StateStore states = new StateStore() {
            @Override
            public ContainerState state(Path p, String name) {
                return name.equals("c1") ? sourceState : ContainerState.STOPPED;
            }

            @Override
            public OptionalLong initPid(Path p, String name) {
                return OptionalLong.empty();
            }
        };
        return new Lifecycle(SystemConfig.defaults(), new TestBackends().add(img, 0), LinesConfig::parse, states,
                e -> { }, mounts);
    }

    /** {@code c1} with one finished snapshot {@code snap0} and the leftover of a killed {@code snap1}. */
    private Path killedSnapshot() throws Exception {
        Path c1 = Files.createDirectories(lxcpath.resolve("c1/rootfs"));
        Files.writeString(c1.resolveSibling("config"), "lxc.rootfs.path = img:" + lxcpath.resolve("c1/rootdev") + "\n");
        Path snap0 = Files.createDirectories(lxcpath.resolve("c1/snaps/snap0"));
        Files.writeString(snap0.resolve("config"), "lxc.rootfs.path = img:" + snap0.resolve("rootdev") + "\n");
        Files.writeString(snap0.resolve("ts"), "2026:11:29 08:00:00");
        Path snap1 = Files.createDirectories(lxcpath.resolve("c1/snaps/snap1/rootfs"));
        Files.writeString(snap1.resolveSibling("rootdev"), "half an image");
        Files.createFile(snap1.resolveSibling("partial"));
        new CloneJournal("img:" + lxcpath.resolve("c1/rootdev"), lxcpath.resolve("c1/rootfs"),
                new Bookkeeping.Pair(lxcpath, "c1")).write(snap1.getParent());
        mounts.mounted.add(lxcpath.resolve("c1/rootfs"));
        mounts.mounted.add(snap1);
        return snap1.getParent();
    }

    @Test
    void theNextCommandUnmountsTheSourceDetachesTheMountsInsideAndRemovesTheLeftover() throws Exception {
        Path leftover = killedSnapshot();
        Lifecycle runtime = runtime(ContainerState.STOPPED);

        assertEquals(List.of("snap0"), runtime.snapshots(lxcpath, "c1").stream().map(s -> s.name()).toList());

        assertEquals(List.of("img:" + lxcpath.resolve("c1/rootdev") + " " + lxcpath.resolve("c1/rootfs")),
                img.unmounted, "the source's rootfs, unmounted through its backend");
        assertEquals(List.of(leftover), mounts.detachedBelow);
        assertEquals(Set.of(), mounts.mounted);
        assertFalse(Files.exists(leftover), "the half snapshot is gone");
        assertTrue(Files.isRegularFile(lxcpath.resolve("c1/snaps/snap0/config")), "the finished one stays");
        assertEquals("snap1", SnapshotFiles.nextName(lxcpath.resolve("c1/snaps")), "its name is free again");
    }

    @Test
    void aSourceRunningByNowKeepsItsMount() throws Exception {
        Path leftover = killedSnapshot();

        runtime(ContainerState.RUNNING).snapshots(lxcpath, "c1");

        assertEquals(List.of(), img.unmounted);
        assertTrue(mounts.mounted.contains(lxcpath.resolve("c1/rootfs")));
        assertFalse(Files.exists(leftover));
    }

    @Test
    void anInterruptedRestoreOverTheContainerKeepsItsSnapshots() throws Exception {
        killedSnapshot();
        Path c1 = lxcpath.resolve("c1");
        Files.delete(c1.resolve("config")); // a restore in place removed the rootfs and files but snaps
        Files.createFile(c1.resolve("partial"));

        assertEquals(List.of(), runtime(ContainerState.STOPPED).list(lxcpath));

        assertFalse(Files.exists(c1.resolve("partial")));
        assertFalse(Files.exists(c1.resolve("rootfs")));
        assertTrue(Files.isRegularFile(c1.resolve("snaps/snap0/config")), "the snapshots are not swept with it");
    }
}
