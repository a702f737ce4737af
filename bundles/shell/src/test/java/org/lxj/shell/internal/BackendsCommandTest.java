package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.shell.internal.backends.BackendInUseException;
import org.lxj.shell.internal.backends.BackendRow;
import org.lxj.shell.internal.backends.BackendUsage;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;

/** lxj:backends' table and the usage check behind lxj:stop, without a framework. */
class BackendsCommandTest {

    /** Owns {@code tmpfs:} paths, as the example backend does; its verbs are never called here. */
    private static final StorageBackend TMPFS = new StorageBackend() {
        public String type() {
            return "tmpfs";
        }

        public Set<StorageCapability> capabilities() {
            return Set.of();
        }

        public boolean owns(String rootfsPath) {
            return rootfsPath.startsWith("tmpfs:");
        }

        public String create(StorageRequest request) {
            throw new AssertionError("not called");
        }

        public MountedRootfs mount(String rootfsPath, Path target) {
            throw new AssertionError("not called");
        }

        public void unmount(String rootfsPath, Path target) {
            throw new AssertionError("not called");
        }

        public void destroy(String rootfsPath) {
            throw new AssertionError("not called");
        }
    };

    @Test
    void tableIsSortedByAreaThenRankingThenServiceIdAndAligned() {
        String table = BackendRow.table(List.of(
                new BackendRow("storage", "dir", "org.lxj.storage.dir", "0.1.0", -100, 20, true, "always available"),
                new BackendRow("storage", "tmpfs", "org.example.lxj.storage.tmpfs", "1.0.0", 0, 90, true, "always available"),
                new BackendRow("cgroup", "v2", "org.lxj.cgroup.v2", "0.1.0", 0, 31, false, "no cgroup2 controllers"),
                new BackendRow("seccomp", "nop", "org.lxj.security.seccomp", "0.1.0", Integer.MIN_VALUE, 40, true, "no filter")));
        assertEquals("""
                AREA     TYPE   BUNDLE                         VERSION  RANKING  DETECT       WHY
                cgroup   v2     org.lxj.cgroup.v2              0.1.0    0        unavailable  no cgroup2 controllers
                seccomp  nop    org.lxj.security.seccomp       0.1.0    min      available    no filter
                storage  tmpfs  org.example.lxj.storage.tmpfs  1.0.0    0        available    always available
                storage  dir    org.lxj.storage.dir            0.1.0    -100     available    always available
                """, table);
    }

    @Test
    void onlyActiveContainersOnTheBackendsOwnPathsAreUsers() {
        Path lxcpath = Path.of("/var/lib/lxc");
        Path other = Path.of("/srv/lxc");
        FakeRuntime runtime = new FakeRuntime(FakeRuntime.debianSystemConfig())
                .add(FakeContainer.running(lxcpath, "t1", FakeConfig.of("lxc.rootfs.path", "tmpfs:/var/lib/lxc/t1/rootfs"), 10))
                .add(FakeContainer.stopped(lxcpath, "t2", FakeConfig.of("lxc.rootfs.path", "tmpfs:/var/lib/lxc/t2/rootfs")))
                .add(FakeContainer.running(lxcpath, "d1", FakeConfig.of("lxc.rootfs.path", "dir:/var/lib/lxc/d1/rootfs"), 11))
                .add(FakeContainer.running(other, "t3", FakeConfig.of("lxc.rootfs.path", "tmpfs:/srv/lxc/t3/rootfs"), 12));
        BackendUsage usage = new BackendUsage(runtime);

        assertEquals(List.of("t1 (/var/lib/lxc)"), usage.users(TMPFS, usage.lxcpaths(List.of())));
        assertEquals(List.of("t1 (/var/lib/lxc)", "t3 (/srv/lxc)"),
                usage.users(TMPFS, usage.lxcpaths(List.of(other, lxcpath))));
    }

    @Test
    void theRefusalNamesBundleBackendAndContainers() {
        BackendInUseException e = new BackendInUseException("org.example.lxj.storage.tmpfs 1.0.0 (bundle 42)",
                "storage backend \"tmpfs\"", List.of("t1 (/var/lib/lxc)"));
        assertEquals("Refusing to stop org.example.lxj.storage.tmpfs 1.0.0 (bundle 42): its storage backend \"tmpfs\" "
                + "is used by running container t1 (/var/lib/lxc); stop it first", e.getMessage());
        assertTrue(e.exitStatus() != 0);
    }
}
