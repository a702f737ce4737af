package org.lxj.spi.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.spi.TestConfig;

class CgroupSettingTest {

    @Test
    void parsesV2AndV1Keys() {
        assertEquals(new CgroupSetting(2, "memory", "memory.max", "512M", "lxc.cgroup2.memory.max"),
                CgroupSetting.of("lxc.cgroup2.memory.max", "512M"));
        assertEquals(new CgroupSetting(1, "cpuset", "cpuset.cpus", "0-1", "lxc.cgroup.cpuset.cpus"),
                CgroupSetting.of("lxc.cgroup.cpuset.cpus", "0-1"));
        assertEquals("devices", CgroupSetting.of("lxc.cgroup2.devices.allow", "c 1:3 rwm").controller());
    }

    @Test
    void placementAndForeignKeysAreNotSettings() {
        assertNull(CgroupSetting.of("lxc.cgroup.dir", "x"));
        assertNull(CgroupSetting.of("lxc.cgroup.dir.container", "x"));
        assertNull(CgroupSetting.of("lxc.cgroup.relative", "1"));
        assertNull(CgroupSetting.of("lxc.uts.name", "x"));
    }

    @Test
    void keyWithoutFileIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> CgroupSetting.of("lxc.cgroup2.memory", "1"));
        assertThrows(IllegalArgumentException.class, () -> CgroupSetting.of("lxc.cgroup2.memory.", "1"));
        assertThrows(IllegalArgumentException.class, () -> new CgroupSetting(3, "a", "a.b", "1", "k"));
        assertThrows(IllegalArgumentException.class, () -> new CgroupSetting(2, "a", "../a.b", "1", "k"));
    }

    @Test
    void fromConfigKeepsFileOrderAndNamesTheLine() {
        TestConfig config = new TestConfig("lxc.uts.name = c1", "lxc.cgroup2.pids.max = 100",
                "lxc.cgroup.dir = lxj/c1", "lxc.cgroup2.memory.max = 1G", "lxc.cgroup2.cpu.weight =");
        List<CgroupSetting> s = CgroupSetting.fromConfig(config);
        assertEquals(List.of("pids.max", "memory.max"), s.stream().map(CgroupSetting::file).toList());
        ConfigException e = assertThrows(ConfigException.class,
                () -> CgroupSetting.fromConfig(new TestConfig("lxc.uts.name = c1", "lxc.cgroup2.pids = 5")));
        assertEquals(2, e.line());
        assertEquals(Optional.of("lxc.cgroup2.pids"), e.key());
    }

    @Test
    void requestPathsFollowPatternAndOverrides() {
        CgroupRequest r = new CgroupRequest("web", "lxc.payload.%n", Optional.empty(), Optional.empty(), false,
                Set.of());
        assertEquals("lxc.payload.web", r.payloadPath());
        assertEquals("lxc.monitor.web", r.monitorPath());
        CgroupRequest o = new CgroupRequest("web", "lxc/%n", Optional.of("custom/web"), Optional.of("mon/web"),
                true, Set.of("memory"));
        assertEquals("custom/web", o.payloadPath());
        assertEquals("mon/web", o.monitorPath());
    }
}
