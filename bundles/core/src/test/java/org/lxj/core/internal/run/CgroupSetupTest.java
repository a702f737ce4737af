package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;
import org.lxj.cgroup.v1.internal.V1CgroupBackend;
import org.lxj.cgroup.v2.internal.V2CgroupBackend;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.core.internal.plan.CgroupContributor;
import org.lxj.core.internal.plan.KeyGate;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.cgroup.CgroupRequest;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CgroupPlacement;

/** Core's cgroup bookkeeping without root: the pre-start key check, the request, and what state.json keeps. */
class CgroupSetupTest {
    static final HostFacts HYBRID = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID,
            List.of(new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/memory"), List.of("memory")),
                    new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/pids"), List.of("pids")),
                    new CgroupHierarchy(2, Path.of("/sys/fs/cgroup/unified"), List.of("hugetlb"))),
            false, Set.of(), 0);

    final RecordingSyscalls sys = new RecordingSyscalls();
    final List<CgroupBackend> both = List.of(new V1CgroupBackend(sys, HYBRID), new V2CgroupBackend(sys, HYBRID));
    final CgroupSetup setup = new CgroupSetup(() -> both, SystemConfig.defaults());

    static ContainerConfig config(String text) {
        return new ConfigParser().parse(text, Path.of("/var/lib/lxj/c1/config"));
    }

    @Test
    void keysTheHybridLayoutServesPass() {
        setup.check(config("lxc.cgroup.memory.limit_in_bytes = 64M\nlxc.cgroup.pids.max = 20\n"
                + "lxc.cgroup2.hugetlb.2MB.max = 0\nlxc.cgroup2.cgroup.max.depth = 4\n"), HYBRID);
    }

    @Test
    void aV2KeyForAV1ControllerNamesKeyControllerAndWhereItLives() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> setup.check(config("lxc.cgroup2.memory.max = 64M\n"), HYBRID));
        assertEquals("Config key \"lxc.cgroup2.memory.max\" needs cgroup2 controller \"memory\", but on this host "
                + "\"memory\" is a cgroup v1 controller mounted at /sys/fs/cgroup/memory (cgroup layout HYBRID)",
                e.getMessage());
    }

    @Test
    void aKeyOfAControllerTheHostLacksSaysSo() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> setup.check(config("lxc.cgroup.blkio.weight = 500\n"), HYBRID));
        assertEquals("Config key \"lxc.cgroup.blkio.weight\" needs cgroup v1 controller \"blkio\", but this host "
                + "has no \"blkio\" controller (cgroup layout HYBRID)", e.getMessage());
    }

    @Test
    void v2DeviceRulesPassWithACgroup2HierarchyAndInnerDirectoriesAreRefused() {
        setup.check(config("lxc.cgroup2.devices.deny = a\nlxc.cgroup2.devices.allow = c 1:3 rwm\n"), HYBRID);
        HostFacts legacy = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.LEGACY,
                List.of(new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/memory"), List.of("memory"))), false, Set.of(),
                0);
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> setup.check(config("lxc.cgroup2.devices.allow = c 1:3 rwm\n"), legacy));
        assertEquals("Config key \"lxc.cgroup2.devices.allow\" needs a cgroup2 device program, but no cgroup2 "
                + "hierarchy is mounted (cgroup layout LEGACY)", e.getMessage());
        CgroupSetup v1Only = new CgroupSetup(() -> List.of(both.get(0)), SystemConfig.defaults());
        assertThrows(UnsupportedFeatureException.class,
                () -> v1Only.check(config("lxc.cgroup2.devices.allow = c 1:3 rwm\n"), HYBRID));
        assertThrows(UnsupportedFeatureException.class,
                () -> setup.check(config("lxc.cgroup.dir.container.inner = inner\n"), HYBRID));
    }

    @Test
    void keyGateAcceptsCgroupKeysOnceABackendIsInstalled() {
        ContainerConfig c = config("lxc.cgroup.memory.limit_in_bytes = 64M\n");
        assertThrows(UnsupportedFeatureException.class, () -> KeyGate.check(c, List.of()));
        KeyGate.check(c, List.of(new CgroupContributor(CgroupPlacement.NONE)));
    }

    @Test
    void theRequestHonoursDirPatternAndRelative() {
        CgroupRequest plain = setup.request("c1", config(""));
        assertEquals("lxc.payload.c1", plain.payloadPath());
        assertEquals("lxc.monitor.c1", plain.monitorPath());
        CgroupRequest dir = setup.request("c1", config("lxc.cgroup.dir = my/first\nlxc.cgroup.relative = 1\n"));
        assertEquals("my/first/lxc.payload.c1", dir.payloadPath());
        assertEquals("my/first/lxc.monitor.c1", dir.monitorPath());
        assertTrue(dir.relative());
        CgroupRequest split = setup.request("c1", config("lxc.cgroup.dir.container = a/payload\n"
                + "lxc.cgroup.dir.monitor = a/monitor\n"));
        assertEquals("a/payload", split.payloadPath());
        assertEquals("a/monitor", split.monitorPath());
        CgroupSetup patterned = new CgroupSetup(() -> both, new SystemConfig(SystemConfig.defaults().lxcpath(),
                SystemConfig.defaults().defaultConfig(), SystemConfig.defaults().lvmVg(),
                SystemConfig.defaults().lvmThinPool(), SystemConfig.defaults().zfsRoot(), "memory,pids", "lxj/%n",
                Optional.empty()));
        CgroupRequest p = patterned.request("c1", config(""));
        assertEquals("lxj/c1", p.payloadPath());
        assertEquals(Set.of("memory", "pids"), p.controllers());
    }

    @Test
    void cgroupRecordsRoundTripThroughStateJson() {
        List<CgroupRecord> records = List.of(
                new CgroupRecord("v1", new CgroupHandle("c1", "lxc.payload.c1", "lxc.monitor.c1",
                        List.of(Path.of("/sys/fs/cgroup/memory/lxc.payload.c1"),
                                Path.of("/sys/fs/cgroup/pids/lxc.payload.c1")),
                        List.of(Path.of("/sys/fs/cgroup/memory/lxc.monitor.c1")))),
                new CgroupRecord("v2", new CgroupHandle("c1", "lxc.payload.c1", "lxc.monitor.c1",
                        List.of(Path.of("/sys/fs/cgroup/unified/lxc.payload.c1")), List.of())));
        RunState s = new RunState("c1", Path.of("/var/lib/lxj"), RunState.RUNNING, 42, 7L, 41, "", Path.of("/"),
                Path.of("/r"), false, 0, 2, 9, false, false).withCgroups(CgroupRecord.encode(records));
        RunState back = RunState.fromJson(s.toJson());
        assertEquals(s, back);
        assertEquals(records, CgroupRecord.decode(back.cgroups()));
        assertEquals(s.cgroups(), back.withPhase(RunState.STARTING).cgroups());
    }

    @Test
    void aStateFileFromBeforeCgroupsStillReads() {
        String old = new RunState("c1", Path.of("/var/lib/lxj"), RunState.RUNNING, 42, 7L, 41, "", Path.of("/"),
                Path.of("/r"), false, 0, 2, 9, false, false).toJson().replace(",\n  \"cgroups\": \"\"", "");
        assertTrue(!old.contains("cgroups"), old);
        RunState s = RunState.fromJson(old);
        assertEquals("", s.cgroups());
        assertTrue(CgroupRecord.decode(s.cgroups()).isEmpty());
    }
}
