package org.lxj.cgroup.v2.internal;

import org.lxj.linux.CgroupFs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.UnsupportedFeatureException;
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

/** The v2 backend against a fake cgroup2 tree in a temporary directory: every file it writes, no root needed. */
class V2CgroupBackendTest {
    static final List<String> FILES = List.of("cgroup.controllers", "cgroup.subtree_control", "cgroup.freeze",
            "cgroup.events", "cgroup.kill", "memory.max", "memory.current", "memory.stat", "pids.max", "pids.current",
            "cpu.max", "cpu.stat", "io.stat");

    @TempDir
    Path tmp;
    Path root;
    FakeCgroupFs.Fake fake;
    V2CgroupBackend backend;
    HostFacts host;
    Path self;

    @BeforeEach
    void tree() throws IOException {
        root = Files.createDirectories(tmp.resolve("cgroup"));
        Files.writeString(root.resolve("cgroup.controllers"), "cpu io memory pids\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "");
        Files.writeString(root.resolve("cgroup.procs"), "1\n");
        fake = FakeCgroupFs.of(Map.of(root, FILES));
        host = host("6.18.0");
        self = tmp.resolve("self-cgroup");
        Files.writeString(self, "0::/user.slice/me\n");
        backend = new V2CgroupBackend(fake.sys(), host, self, Drain.ONCE);
    }

    HostFacts host(String kernel) {
        return new HostFacts(kernel, "x86_64", Set.of(), List.of(), CgroupLayout.UNIFIED,
                List.of(new CgroupHierarchy(2, root, List.of("memory", "cpu", "io", "pids"))), false, Set.of(), 0);
    }

    static CgroupRequest request(String name) {
        return new CgroupRequest(name, "lxc.payload.%n", Optional.empty(), Optional.empty(), false, Set.of());
    }

    @Test
    void detectsTheCgroup2MountAndItsControllers() {
        assertTrue(backend.detect(host).available());
        assertEquals(List.of("cpu", "io", "memory", "pids"), backend.controllers());
        assertEquals(Set.of(CgroupCapability.FREEZE, CgroupCapability.CLONE_INTO, CgroupCapability.KILL_ALL,
                CgroupCapability.DEVICES), backend.capabilities());
        HostFacts legacy = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.LEGACY,
                List.of(new CgroupHierarchy(1, root, List.of("memory"))), false, Set.of(), 0);
        assertFalse(backend.detect(legacy).available());
    }

    @Test
    void initIsBornInThePayloadThroughCloneIntoCgroup() {
        CgroupHandle h = backend.create(request("c1"));
        assertEquals(List.of(root.resolve("lxc.payload.c1")), h.payloadDirectories());
        assertEquals(List.of(root.resolve("lxc.monitor.c1")), h.monitorDirectories());
        CgroupPlacement p = backend.placement(h);
        assertEquals(Optional.of(root.resolve("lxc.payload.c1")), p.cloneInto());
        assertTrue(p.procsFiles().isEmpty());
    }

    @Test
    void createPayloadLeavesTheMonitorToCreateMonitor() throws IOException {
        CgroupHandle h = backend.createPayload(request("c30"));
        assertTrue(Files.isDirectory(root.resolve("lxc.payload.c30")));
        assertFalse(Files.exists(root.resolve("lxc.monitor.c30")), "no monitor cgroup yet");
        assertEquals(List.of(root.resolve("lxc.monitor.c30")), h.monitorDirectories());
        backend.createMonitor(h);
        assertTrue(Files.isDirectory(root.resolve("lxc.monitor.c30")));
        backend.attachMonitor(h, 99);
        assertThrows(ContainerBusyException.class, () -> backend.createMonitor(h),
                "a monitor cgroup that holds processes is another's");
        Files.writeString(root.resolve("lxc.monitor.c30/cgroup.procs"), "");
        backend.createMonitor(h);                         // an empty leftover is kept
        backend.destroy(h);
        assertFalse(Files.exists(root.resolve("lxc.payload.c30")));
        assertFalse(Files.exists(root.resolve("lxc.monitor.c30")));
        CgroupHandle never = backend.createPayload(request("c31"));
        backend.destroy(never);
        assertFalse(Files.exists(root.resolve("lxc.payload.c31")), "destroy without a monitor cgroup");
    }

    @Test
    void withoutClone3TheMonitorWritesCgroupProcs() {
        V2CgroupBackend old = new V2CgroupBackend(fake.sys(), host("5.4.0"), self, Drain.ONCE);
        CgroupHandle h = old.create(request("c2"));
        assertEquals(new CgroupPlacement(Optional.empty(), List.of(root.resolve("lxc.payload.c2/cgroup.procs"))),
                old.placement(h));
        assertFalse(old.capabilities().contains(CgroupCapability.KILL_ALL));
    }

    @Test
    void applyEnablesEachControllerAlongThePathAndWritesItsFile() throws IOException {
        CgroupHandle h = backend.create(new CgroupRequest("c3", "lxc.payload.%n", Optional.of("lxj/c3"),
                Optional.empty(), false, Set.of()));
        backend.apply(h, List.of(CgroupSetting.of("lxc.cgroup2.memory.max", "64M"),
                CgroupSetting.of("lxc.cgroup2.pids.max", "32"), CgroupSetting.of("lxc.cgroup2.cpu.max", "50000 100000"),
                CgroupSetting.of("lxc.cgroup.memory.limit_in_bytes", "1G")));
        assertEquals("memory pids cpu\n", Files.readString(root.resolve("cgroup.subtree_control")));
        assertEquals("memory pids cpu\n", Files.readString(root.resolve("lxj/cgroup.subtree_control")));
        assertEquals("memory pids cpu\n", Files.readString(root.resolve("lxj/c3/cgroup.controllers")));
        assertEquals("", Files.readString(root.resolve("lxj/c3/cgroup.subtree_control")), "the leaf holds init");
        assertEquals("64M", Files.readString(root.resolve("lxj/c3/memory.max")));
        assertEquals("32", Files.readString(root.resolve("lxj/c3/pids.max")));
        assertEquals("50000 100000", Files.readString(root.resolve("lxj/c3/cpu.max")));
        assertFalse(fake.fs().writes.stream().anyMatch(w -> w.contains("limit_in_bytes")), fake.fs().writes.toString());
    }

    @Test
    void anUnavailableControllerIsNamedWithTheKey() {
        CgroupHandle h = backend.create(request("c4"));
        BackendException e = assertThrows(BackendException.class,
                () -> backend.apply(h, List.of(CgroupSetting.of("lxc.cgroup2.hugetlb.2MB.max", "0"))));
        assertTrue(e.getMessage().startsWith("Config key \"lxc.cgroup2.hugetlb.2MB.max\" needs cgroup2 controller "
                + "\"hugetlb\", which is not available in \"" + root + "\""), e.getMessage());
    }

    @Test
    void deviceRulesLoadAndAttachOneProgramToThePayload() {
        CgroupHandle h = backend.create(request("c5"));
        backend.apply(h, List.of(CgroupSetting.of("lxc.cgroup2.devices.deny", "a"),
                CgroupSetting.of("lxc.cgroup2.devices.allow", "c 1:3 rwm"),
                CgroupSetting.of("lxc.cgroup2.memory.max", "64M")));
        assertEquals(1, fake.fs().programs.size());
        assertEquals(List.of("100000 " + root.resolve("lxc.payload.c5") + " 6 2"), fake.fs().attached);
        DeviceProgram expected = DeviceProgram.of(List.of(CgroupSetting.of("lxc.cgroup2.devices.deny", "a"),
                CgroupSetting.of("lxc.cgroup2.devices.allow", "c 1:3 rwm")));
        assertArrayEquals(expected.instructions(), fake.fs().programs.get(0));
        BackendException bad = assertThrows(BackendException.class, () -> backend.apply(h,
                List.of(CgroupSetting.of("lxc.cgroup2.devices.allow", "x 1:3 rwm"))));
        assertTrue(bad.getMessage().startsWith("Invalid device rule \"x 1:3 rwm\" in \"lxc.cgroup2.devices.allow\""),
                bad.getMessage());
    }

    @Test
    void withoutDeviceRulesNoProgramIsLoaded() {
        CgroupHandle h = backend.create(request("c5b"));
        backend.apply(h, List.of(CgroupSetting.of("lxc.cgroup2.memory.max", "64M")));
        assertTrue(fake.fs().programs.isEmpty());
    }

    @Test
    void relativePlacesBelowTheCallersCgroup() {
        CgroupHandle h = backend.create(new CgroupRequest("c6", "lxc.payload.%n", Optional.empty(), Optional.empty(),
                true, Set.of()));
        assertEquals("user.slice/me/lxc.payload.c6", h.payload());
        assertTrue(Files.isDirectory(root.resolve("user.slice/me/lxc.payload.c6")));
    }

    @Test
    void requestedControllersAreEnabledAtCreate() throws IOException {
        backend.create(new CgroupRequest("c7", "lxc.payload.%n", Optional.empty(), Optional.empty(), false,
                Set.of("memory")));
        assertEquals("memory\n", Files.readString(root.resolve("cgroup.subtree_control")));
    }

    @Test
    void freezeThawAndKillUseTheCgroupFiles() throws IOException {
        CgroupHandle h = backend.create(request("c8"));
        Path dir = root.resolve("lxc.payload.c8");
        Files.writeString(dir.resolve("cgroup.events"), "populated 1\nfrozen 1\n");
        backend.freeze(h);
        assertEquals("1", Files.readString(dir.resolve("cgroup.freeze")));
        assertTrue(backend.frozen(h));
        Files.writeString(dir.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
        backend.thaw(h);
        assertEquals("0", Files.readString(dir.resolve("cgroup.freeze")));
        assertFalse(backend.frozen(h));
        backend.kill(h, 9);
        assertEquals("1", Files.readString(dir.resolve("cgroup.kill")));
    }

    @Test
    void readAndWriteReachControllerAndCoreFilesOfThePayload() throws IOException {
        CgroupHandle h = backend.create(request("c10"));
        Path dir = root.resolve("lxc.payload.c10");
        backend.write(h, "memory.max", "64M");
        assertEquals("64M", Files.readString(dir.resolve("memory.max")));
        Files.writeString(dir.resolve("cgroup.events"), "populated 1\nfrozen 0\n");
        assertEquals("populated 1\nfrozen 0\n", backend.read(h, "cgroup.events"));
        UnsupportedFeatureException unknown = assertThrows(UnsupportedFeatureException.class,
                () -> backend.read(h, "hugetlb.2MB.max"));
        assertTrue(unknown.getMessage().contains("needs controller \"hugetlb\""), unknown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> backend.write(h, "a/memory.max", "1"));
    }

    @Test
    void aFreezeThatNeverCompletesIsAnError() {
        CgroupHandle h = backend.create(request("c9"));
        BackendException e = assertThrows(BackendException.class, () -> backend.freeze(h));
        assertTrue(e.getMessage().startsWith("Failed to freeze \"c9\""), e.getMessage());
    }

    @Test
    void statsReadCpuIoAndMemoryFiles() throws IOException {
        CgroupHandle h = backend.create(request("c10"));
        Path dir = root.resolve("lxc.payload.c10");
        Files.writeString(dir.resolve("cpu.stat"), "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
        Files.writeString(dir.resolve("io.stat"), "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2\n"
                + "8:16 rbytes=100 wbytes=0 rios=1 wios=0\n");
        Files.writeString(dir.resolve("memory.current"), "2097152\n");
        Files.writeString(dir.resolve("memory.stat"), "anon 1024\nkernel 65536\n");
        Files.writeString(dir.resolve("pids.current"), "2\n");
        CgroupStats s = backend.stats(h);
        assertEquals(1_500_000L, s.cpuNanos().orElseThrow());
        assertEquals(12388L, s.blkioBytes().orElseThrow());
        assertEquals(2097152L, s.memoryBytes().orElseThrow());
        assertEquals(65536L, s.kmemBytes().orElseThrow());
        assertEquals(2L, s.pids().orElseThrow());
    }

    @Test
    void destroyRemovesLeafFirstAndIsBusyWhileTasksRemain() throws IOException {
        CgroupHandle h = backend.create(request("c11"));
        fake.sys().mkdir(root.resolve("lxc.payload.c11/inner").toString(), 0755);
        backend.attach(h, 555);
        assertEquals(List.of(555), backend.pids(h));
        assertThrows(ContainerBusyException.class, () -> backend.destroy(h));
        Files.writeString(root.resolve("lxc.payload.c11/cgroup.procs"), "");
        backend.destroy(h);
        assertFalse(Files.exists(root.resolve("lxc.payload.c11")));
        assertFalse(Files.exists(root.resolve("lxc.monitor.c11")));
        CgroupHandle gone = backend.reopen("c11", h.payload(), h.monitor());
        assertTrue(gone.payloadDirectories().isEmpty());
        backend.destroy(gone);
    }
}
