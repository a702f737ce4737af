package org.lxj.cgroup.v1.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.UnsupportedFeatureException;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ContainerBusyException;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.cgroup.CgroupCapability;
import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.cgroup.CgroupRequest;
import org.lxj.spi.cgroup.CgroupSetting;
import org.lxj.spi.cgroup.CgroupStats;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CgroupPlacement;

/** The v1 backend against a fake hybrid tree in a temporary directory: every file it writes, no root needed. */
class V1CgroupBackendTest {
    @TempDir
    Path tmp;
    Path memory;
    Path cpuset;
    Path freezer;
    Path pids;
    Path systemd;
    Path unified;
    FakeCgroupFs.Fake fake;
    V1CgroupBackend backend;
    HostFacts host;

    @BeforeEach
    void tree() throws IOException {
        memory = mount("memory", "memory.limit_in_bytes", "memory.usage_in_bytes", "memory.kmem.usage_in_bytes");
        cpuset = mount("cpuset", "cpuset.cpus", "cpuset.mems");
        freezer = mount("freezer", "freezer.state");
        pids = mount("pids", "pids.max", "pids.current");
        systemd = mount("systemd");
        unified = Files.createDirectories(tmp.resolve("unified"));
        Files.writeString(cpuset.resolve("cpuset.cpus"), "0-1\n");
        Files.writeString(cpuset.resolve("cpuset.mems"), "0\n");
        Map<Path, List<String>> files = new LinkedHashMap<>();
        files.put(memory, List.of("memory.limit_in_bytes", "memory.usage_in_bytes", "memory.kmem.usage_in_bytes"));
        files.put(cpuset, List.of("cpuset.cpus", "cpuset.mems"));
        files.put(freezer, List.of("freezer.state"));
        files.put(pids, List.of("pids.max", "pids.current"));
        files.put(systemd, List.of());
        fake = FakeCgroupFs.of(files);
        host = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID, List.of(
                new CgroupHierarchy(1, memory, List.of("memory")), new CgroupHierarchy(1, cpuset, List.of("cpuset")),
                new CgroupHierarchy(1, freezer, List.of("freezer")), new CgroupHierarchy(1, pids, List.of("pids")),
                new CgroupHierarchy(1, systemd, List.of("name=systemd")),
                new CgroupHierarchy(2, unified, List.of("hugetlb"))), false, Set.of(), 0);
        Path self = tmp.resolve("self-cgroup");
        Files.writeString(self, "9:name=systemd:/\n8:pids:/\n6:freezer:/\n4:memory:/process_api/abc\n3:cpuset:/\n0::/\n");
        backend = new V1CgroupBackend(fake.sys(), host, self, Drain.ONCE);
    }

    private Path mount(String name, String... files) throws IOException {
        Path m = Files.createDirectories(tmp.resolve(name));
        Files.writeString(m.resolve("cgroup.procs"), "1\n");
        Files.writeString(m.resolve("cgroup.clone_children"), "0\n");
        for (String f : files) {
            Files.writeString(m.resolve(f), "");
        }
        return m;
    }

    static CgroupRequest request(String name) {
        return new CgroupRequest(name, "lxc.payload.%n", Optional.empty(), Optional.empty(), false, Set.of());
    }

    @Test
    void detectsAndListsTheV1ControllersOnly() {
        assertTrue(backend.detect(host).available());
        assertEquals(List.of("cpuset", "freezer", "memory", "pids"), backend.controllers());
        assertEquals(Set.of(CgroupCapability.FREEZE), backend.capabilities());
        HostFacts unifiedOnly = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.UNIFIED,
                List.of(new CgroupHierarchy(2, unified, List.of("memory"))), false, Set.of(), 0);
        assertFalse(backend.detect(unifiedOnly).available());
    }

    @Test
    void createMakesPayloadAndMonitorInEveryHierarchyAndPlacesThroughCgroupProcs() throws IOException {
        CgroupHandle h = backend.create(request("c1"));
        assertEquals("lxc.payload.c1", h.payload());
        assertEquals("lxc.monitor.c1", h.monitor());
        assertEquals(List.of(memory, cpuset, freezer, pids, systemd).stream().map(m -> m.resolve("lxc.payload.c1"))
                .toList(), h.payloadDirectories());
        for (Path m : List.of(memory, cpuset, freezer, pids, systemd)) {
            assertTrue(Files.isDirectory(m.resolve("lxc.monitor.c1")), m.toString());
        }
        // a fresh cpuset has no cpus or mems: the parent's are copied so init can join
        assertEquals("0-1", Files.readString(cpuset.resolve("lxc.payload.c1/cpuset.cpus")));
        assertEquals("0", Files.readString(cpuset.resolve("lxc.monitor.c1/cpuset.mems")));
        // and cpusets the container makes get theirs from the kernel, as under LXC; the monitor makes none
        assertEquals("1", Files.readString(cpuset.resolve("lxc.payload.c1/cgroup.clone_children")).trim());
        assertEquals("0", Files.readString(cpuset.resolve("lxc.monitor.c1/cgroup.clone_children")).trim());
        CgroupPlacement p = backend.placement(h);
        assertTrue(p.cloneInto().isEmpty());
        assertEquals(h.payloadDirectories().stream().map(d -> d.resolve("cgroup.procs")).toList(), p.procsFiles());
    }

    @Test
    void belowAParentItMadeTheKernelClonesTheCpusetAndNothingIsCopied() throws IOException {
        CgroupRequest under = new CgroupRequest("c20", "lxc.payload.%n", Optional.of("lxc/lxc.payload.c20"),
                Optional.of("lxc/lxc.monitor.c20"), false, Set.of());
        CgroupHandle first = backend.create(under);
        assertEquals("1", Files.readString(cpuset.resolve("lxc/cgroup.clone_children")).trim());
        backend.destroy(first);
        fake.fs().writes.clear();
        CgroupHandle second = backend.create(under);
        assertEquals("0-1", Files.readString(cpuset.resolve("lxc/lxc.payload.c20/cpuset.cpus")).trim());
        assertEquals("0", Files.readString(cpuset.resolve("lxc/lxc.monitor.c20/cpuset.mems")).trim());
        assertEquals(List.of(), fake.fs().writes, "the parent lets the kernel fill the cpusets");
        backend.destroy(second);
    }

    @Test
    void applyWritesEachV1SettingAndSkipsV2Ones() throws IOException {
        CgroupHandle h = backend.create(request("c2"));
        backend.apply(h, List.of(CgroupSetting.of("lxc.cgroup.memory.limit_in_bytes", "64M"),
                CgroupSetting.of("lxc.cgroup2.memory.max", "1G"), CgroupSetting.of("lxc.cgroup.pids.max", "32"),
                CgroupSetting.of("lxc.cgroup.cpuset.cpus", "0")));
        assertEquals("64M", Files.readString(memory.resolve("lxc.payload.c2/memory.limit_in_bytes")));
        assertEquals("32", Files.readString(pids.resolve("lxc.payload.c2/pids.max")));
        assertEquals("0", Files.readString(cpuset.resolve("lxc.payload.c2/cpuset.cpus")));
        assertFalse(Files.exists(memory.resolve("lxc.payload.c2/memory.max")));
        assertFalse(fake.fs().writes.stream().anyMatch(w -> w.contains("memory.max")), fake.fs().writes.toString());
    }

    @Test
    void aSettingOfAnUnmountedControllerNamesKeyAndController() {
        CgroupHandle h = backend.create(request("c3"));
        BackendException e = assertThrows(BackendException.class,
                () -> backend.apply(h, List.of(CgroupSetting.of("lxc.cgroup.blkio.weight", "500"))));
        assertTrue(e.getMessage().contains("\"lxc.cgroup.blkio.weight\""), e.getMessage());
        assertTrue(e.getMessage().contains("\"blkio\""), e.getMessage());
    }

    @Test
    void aFailedWriteNamesFileValueKeyAndErrno() {
        CgroupHandle h = backend.create(request("c4"));
        BackendException e = assertThrows(BackendException.class,
                () -> backend.apply(h, List.of(CgroupSetting.of("lxc.cgroup.memory.nonexistent", "1"))));
        assertEquals("Failed to write \"1\" to \"" + memory.resolve("lxc.payload.c4/memory.nonexistent")
                + "\" (lxc.cgroup.memory.nonexistent): ENOENT", e.getMessage());
    }

    @Test
    void relativePlacesBelowTheCallersOwnCgroupPerHierarchy() {
        CgroupHandle h = backend.create(new CgroupRequest("c5", "lxc.payload.%n", Optional.empty(), Optional.empty(),
                true, Set.of("memory", "pids")));
        assertEquals(List.of(memory.resolve("process_api/abc/lxc.payload.c5"), pids.resolve("lxc.payload.c5")),
                h.payloadDirectories());
        assertEquals(List.of(memory.resolve("process_api/abc/lxc.monitor.c5"), pids.resolve("lxc.monitor.c5")),
                h.monitorDirectories());
    }

    @Test
    void explicitDirectoriesAreHonouredAndDestroyRemovesLeafFirst() throws IOException {
        CgroupHandle h = backend.create(new CgroupRequest("c6", "lxc.payload.%n", Optional.of("lxj/c6/payload"),
                Optional.of("lxj/c6/monitor"), false, Set.of("memory")));
        Path payload = memory.resolve("lxj/c6/payload");
        assertEquals(List.of(payload), h.payloadDirectories());
        // a cgroup the container made inside its own
        fake.sys().mkdir(payload.resolve("inner").toString(), 0755);
        backend.destroy(h);
        assertFalse(Files.exists(payload));
        assertFalse(Files.exists(memory.resolve("lxj/c6/monitor")));
        backend.destroy(h);
    }

    @Test
    void destroyOfACgroupWithTasksIsBusyAndNamesThem() throws IOException {
        CgroupHandle h = backend.create(request("c7"));
        backend.attach(h, 4242);
        assertEquals("4242\n", Files.readString(freezer.resolve("lxc.payload.c7/cgroup.procs")));
        assertEquals(List.of(4242), backend.pids(h));
        ContainerBusyException e = assertThrows(ContainerBusyException.class, () -> backend.destroy(h));
        assertTrue(e.getMessage().contains("[4242]"), e.getMessage());
    }

    @Test
    void anExistingCgroupWithTasksIsBusyAndAnEmptyLeftoverIsReplaced() throws IOException {
        CgroupHandle h = backend.create(request("c8"));
        assertThrows(ContainerBusyException.class, () -> {
            backend.attach(h, 77);
            backend.create(request("c8"));
        });
        Files.writeString(memory.resolve("lxc.payload.c8/cgroup.procs"), "");
        for (Path d : h.payloadDirectories()) {
            Files.writeString(d.resolve("cgroup.procs"), "");
        }
        Files.writeString(memory.resolve("lxc.payload.c8/memory.limit_in_bytes"), "stale");
        CgroupHandle again = backend.create(request("c8"));
        assertEquals("", Files.readString(memory.resolve("lxc.payload.c8/memory.limit_in_bytes")));
        backend.destroy(again);
    }

    @Test
    void createPayloadLeavesTheMonitorsToCreateMonitorWhichTheMonitorThenJoins() throws IOException {
        CgroupHandle h = backend.createPayload(request("c20"));
        List<Path> all = List.of(memory, cpuset, freezer, pids, systemd);
        for (Path m : all) {
            assertTrue(Files.isDirectory(m.resolve("lxc.payload.c20")), m.toString());
            assertFalse(Files.exists(m.resolve("lxc.monitor.c20")), "no monitor cgroup yet in " + m);
        }
        assertEquals(all.stream().map(m -> m.resolve("lxc.monitor.c20")).toList(), h.monitorDirectories(),
                "the handle names the monitor's directories all the same");
        backend.createMonitor(h);
        for (Path m : all) {
            assertTrue(Files.isDirectory(m.resolve("lxc.monitor.c20")), m.toString());
        }
        assertEquals("0-1", Files.readString(cpuset.resolve("lxc.monitor.c20/cpuset.cpus")),
                "the monitor's cpuset gets its parent's cpus, so the monitor can join");
        backend.attachMonitor(h, 99);
        assertEquals("99", Files.readString(memory.resolve("lxc.monitor.c20/cgroup.procs")).trim());
        assertThrows(ContainerBusyException.class, () -> backend.createMonitor(h),
                "monitor cgroups that hold processes are another's");
        for (Path d : h.monitorDirectories()) {
            Files.writeString(d.resolve("cgroup.procs"), "");
        }
        backend.createMonitor(h);                         // empty leftovers are kept
        backend.destroy(h);
        for (Path m : all) {
            assertFalse(Files.exists(m.resolve("lxc.payload.c20")), m.toString());
            assertFalse(Files.exists(m.resolve("lxc.monitor.c20")), m.toString());
        }
    }

    @Test
    void destroyOfAPayloadWhoseMonitorWasNeverCreatedRemovesThePayload() {
        CgroupHandle h = backend.createPayload(request("c21"));
        backend.destroy(h);
        for (Path m : List.of(memory, cpuset, freezer, pids, systemd)) {
            assertFalse(Files.exists(m.resolve("lxc.payload.c21")), m.toString());
        }
    }

    @Test
    void aFailedCreateMonitorRemovesWhatItMade() throws IOException {
        CgroupHandle h = backend.createPayload(request("c22"));
        Files.createDirectories(pids.resolve("lxc.monitor.c22"));
        Files.writeString(pids.resolve("lxc.monitor.c22/cgroup.procs"), "4242\n");
        assertThrows(ContainerBusyException.class, () -> backend.createMonitor(h));
        assertFalse(Files.exists(memory.resolve("lxc.monitor.c22")), "made before the busy one, removed");
        assertFalse(Files.exists(cpuset.resolve("lxc.monitor.c22")));
        assertTrue(Files.isDirectory(memory.resolve("lxc.payload.c22")), "the payload stays");
    }

    @Test
    void aFailedCreateRemovesWhatItMade() throws IOException {
        Files.delete(pids.resolve("cgroup.procs"));
        Files.delete(pids.resolve("cgroup.clone_children"));
        Files.delete(pids.resolve("pids.max"));
        Files.delete(pids.resolve("pids.current"));
        Files.delete(pids);
        assertThrows(BackendException.class, () -> backend.create(request("c9")));
        assertFalse(Files.exists(memory.resolve("lxc.payload.c9")));
        assertFalse(Files.exists(memory.resolve("lxc.monitor.c9")));
        assertFalse(Files.exists(cpuset.resolve("lxc.payload.c9")));
    }

    @Test
    void readAndWriteReachTheFileInItsControllersHierarchy() throws IOException {
        CgroupHandle h = backend.create(request("c12"));
        backend.write(h, "memory.limit_in_bytes", "64M");
        assertEquals("64M", Files.readString(memory.resolve("lxc.payload.c12/memory.limit_in_bytes")));
        Files.writeString(cpuset.resolve("lxc.payload.c12/cpuset.cpus"), "0-1\n");
        assertEquals("0-1\n", backend.read(h, "cpuset.cpus"));
        UnsupportedFeatureException unknown = assertThrows(UnsupportedFeatureException.class,
                () -> backend.read(h, "blkio.weight"));
        assertTrue(unknown.getMessage().contains("needs controller \"blkio\""), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.read(h, "../memory.limit_in_bytes"));
        assertThrows(IllegalArgumentException.class, () -> backend.read(h, "memory"));
    }

    @Test
    void freezeAndThawWriteFreezerState() throws IOException {
        CgroupHandle h = backend.create(request("c10"));
        assertFalse(backend.frozen(h));
        backend.freeze(h);
        assertEquals("FROZEN", Files.readString(freezer.resolve("lxc.payload.c10/freezer.state")));
        assertTrue(backend.frozen(h));
        backend.thaw(h);
        assertEquals("THAWED", Files.readString(freezer.resolve("lxc.payload.c10/freezer.state")));
        assertFalse(backend.frozen(h));
    }

    @Test
    void statsReadTheControllerFiles() throws IOException {
        CgroupHandle h = backend.create(request("c11"));
        Files.writeString(memory.resolve("lxc.payload.c11/memory.usage_in_bytes"), "1048576\n");
        Files.writeString(memory.resolve("lxc.payload.c11/memory.kmem.usage_in_bytes"), "4096\n");
        Files.writeString(pids.resolve("lxc.payload.c11/pids.current"), "3\n");
        CgroupStats s = backend.stats(h);
        assertEquals(1048576L, s.memoryBytes().orElseThrow());
        assertEquals(4096L, s.kmemBytes().orElseThrow());
        assertEquals(3L, s.pids().orElseThrow());
        assertTrue(s.cpuNanos().isEmpty(), "no cpuacct hierarchy");
        assertTrue(s.blkioBytes().isEmpty(), "no blkio hierarchy");
    }

    @Test
    void reopenFindsTheDirectoriesThatStillExist() {
        CgroupHandle h = backend.create(request("c12"));
        CgroupHandle r = backend.reopen("c12", h.payload(), h.monitor());
        assertEquals(h.payloadDirectories(), r.payloadDirectories());
        backend.destroy(r);
        assertTrue(backend.reopen("c12", h.payload(), h.monitor()).payloadDirectories().isEmpty());
    }

    @Test
    void aPathLeavingTheHierarchyIsRefused() {
        assertThrows(BackendException.class, () -> backend.create(new CgroupRequest("c13", "lxc.payload.%n",
                Optional.of("../escape"), Optional.empty(), false, Set.of())));
    }
}
