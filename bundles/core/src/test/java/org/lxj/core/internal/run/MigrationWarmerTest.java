package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.spi.host.CgroupHierarchy;

class MigrationWarmerTest {
    private static final List<CgroupHierarchy> HYBRID = List.of(
            new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/cpu,cpuacct"), List.of("cpu", "cpuacct")),
            new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/pids"), List.of("pids")),
            new CgroupHierarchy(2, Path.of("/sys/fs/cgroup/unified"), List.of()));

    @Test
    void aV1HierarchyIsWarmedThroughTheThreadsOwnTasksFile() {
        String self = "13:name=systemd:/user.slice\n12:pids:/system.slice/lxj.service\n"
                + "4:cpu,cpuacct:/system.slice\n0::/system.slice/lxj.service\n";
        Optional<MigrationWarmer.Target> t = MigrationWarmer.target(self, HYBRID);
        assertEquals(Optional.of(new MigrationWarmer.Target(
                Path.of("/sys/fs/cgroup/pids/system.slice/lxj.service/tasks"), true)), t);
    }

    @Test
    void aPureCgroup2HostIsWarmedThroughTheProcessesOwnCgroupProcs() {
        List<CgroupHierarchy> unified = List.of(new CgroupHierarchy(2, Path.of("/sys/fs/cgroup"), List.of("pids")));
        Optional<MigrationWarmer.Target> t = MigrationWarmer.target("0::/lxj.slice/daemon\n", unified);
        assertEquals(Optional.of(new MigrationWarmer.Target(Path.of("/sys/fs/cgroup/lxj.slice/daemon/cgroup.procs"),
                false)), t);
    }

    @Test
    void nothingIsWarmedOutsideAKnownHierarchyOrThroughAParentPath() {
        assertEquals(Optional.empty(), MigrationWarmer.target("5:blkio:/x\n", HYBRID));
        assertEquals(Optional.empty(), MigrationWarmer.target("12:pids:/../../etc\n0::/../x\n", HYBRID));
        assertEquals(Optional.empty(), MigrationWarmer.target("garbage", HYBRID));
        assertFalse(MigrationWarmer.start("c1", List.of()).running());
    }

    @Test
    void theWarmerRewritesItsOwnIdUntilClosed(@TempDir Path dir) throws Exception {
        Path tasks = Files.createFile(dir.resolve("tasks"));
        MigrationWarmer w = MigrationWarmer.start("c1", new MigrationWarmer.Target(tasks, false));
        try {
            // the first write lands at once; then the file is rewritten every interval
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (Files.size(tasks) == 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertEquals(Long.toString(ProcessHandle.current().pid()), Files.readString(tasks, StandardCharsets.US_ASCII));
        } finally {
            w.close();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (w.running() && System.nanoTime() - deadline < 0) {
            Thread.sleep(1);
        }
        assertFalse(w.running(), "the warming thread ends once closed");
        w.close(); // idempotent
    }

    @Test
    void aWarmerWhoseFileCannotBeWrittenStopsByItself(@TempDir Path dir) throws Exception {
        MigrationWarmer w = MigrationWarmer.start("c1", new MigrationWarmer.Target(dir.resolve("missing/tasks"), true));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (w.running() && System.nanoTime() - deadline < 0) {
                Thread.sleep(1);
            }
            assertFalse(w.running());
            assertTrue(Files.notExists(dir.resolve("missing")), "nothing is created");
        } finally {
            w.close();
        }
    }
}
