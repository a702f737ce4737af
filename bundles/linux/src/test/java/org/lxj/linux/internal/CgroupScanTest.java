package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;

class CgroupScanTest {

    /** A CentOS 7 host: v1 only, co-mounted controllers, release_agent on systemd's hierarchy. */
    private static final String LEGACY = String.join("\n",
            "18 62 0:17 / /sys rw,nosuid,nodev,noexec,relatime shared:6 - sysfs sysfs rw",
            "23 18 0:20 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
            "24 23 0:21 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup "
                    + "rw,xattr,release_agent=/usr/lib/systemd/systemd-cgroups-agent,name=systemd",
            "27 23 0:24 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup "
                    + "rw,cpuacct,cpu",
            "28 23 0:25 / /sys/fs/cgroup/net_cls,net_prio rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup "
                    + "rw,net_prio,net_cls",
            "29 23 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:15 - cgroup cgroup rw,memory",
            "");

    /** A current distribution: one cgroup2 at /sys/fs/cgroup. */
    private static final String UNIFIED = String.join("\n",
            "22 27 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw",
            "26 22 0:25 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 "
                    + "rw,nsdelegate,memory_recursiveprot",
            "");

    @Test
    void legacyHost() {
        CgroupScan scan = new CgroupScan(MountInfo.parse(LEGACY), p -> Optional.empty());
        assertEquals(CgroupLayout.LEGACY, scan.layout());
        assertEquals(List.of(
                new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/systemd"), List.of("name=systemd")),
                new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/cpu,cpuacct"), List.of("cpuacct", "cpu")),
                new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/net_cls,net_prio"), List.of("net_prio", "net_cls")),
                new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/memory"), List.of("memory"))), scan.hierarchies());
    }

    @Test
    void hybridHostAsOnTheTestMachines() {
        Map<Path, String> files = Map.of(Path.of("/sys/fs/cgroup/unified/cgroup.controllers"), "hugetlb\n");
        CgroupScan scan = new CgroupScan(MountInfo.parse(FakeHost.resource("host-hybrid/mountinfo.txt")),
                p -> Optional.ofNullable(files.get(p)));
        assertEquals(CgroupLayout.HYBRID, scan.layout());
        assertEquals(10, scan.hierarchies().size());
        assertEquals(new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/cpu"), List.of("cpu")),
                scan.hierarchies().get(0));
        assertEquals(new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/systemd"), List.of("name=systemd")),
                scan.hierarchies().get(8));
        assertEquals(new CgroupHierarchy(2, Path.of("/sys/fs/cgroup/unified"), List.of("hugetlb")),
                scan.hierarchies().get(9));
    }

    @Test
    void unifiedHost() {
        Map<Path, String> files = Map.of(Path.of("/sys/fs/cgroup/cgroup.controllers"),
                "cpuset cpu io memory hugetlb pids rdma misc\n");
        CgroupScan scan = new CgroupScan(MountInfo.parse(UNIFIED), p -> Optional.ofNullable(files.get(p)));
        assertEquals(CgroupLayout.UNIFIED, scan.layout());
        assertEquals(List.of(new CgroupHierarchy(2, Path.of("/sys/fs/cgroup"),
                List.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"))), scan.hierarchies());
    }

    @Test
    void noCgroupsAndBindMountedDuplicates() {
        assertEquals(CgroupLayout.NONE, new CgroupScan(MountInfo.parse(
                "22 27 0:21 / /sys rw - sysfs sysfs rw\n"), p -> Optional.empty()).layout());
        CgroupScan twice = new CgroupScan(MountInfo.parse(UNIFIED
                + "90 27 0:25 / /var/lib/lxj/c/rootfs/sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"),
                p -> Optional.of(""));
        assertEquals(1, twice.hierarchies().size());
    }

    @Test
    void mountinfoFieldsAndEscapes() {
        MountEntry e = MountInfo.parseLine(
                "36 35 98:0 /mnt1 /mnt/my\\040dir rw,noatime master:1 shared:2 - ext3 /dev/root rw,errors=continue");
        assertEquals(36, e.id());
        assertEquals(35, e.parentId());
        assertEquals("98:0", e.device());
        assertEquals("/mnt1", e.root());
        assertEquals(Path.of("/mnt/my dir"), e.mountPoint());
        assertEquals("ext3", e.fsType());
        assertEquals("/dev/root", e.source());
        assertEquals("rw,errors=continue", e.superOptions());
        assertEquals("a\\b\tc", MountInfo.unescape("a\\134b\\011c"));
        assertEquals("trailing\\", MountInfo.unescape("trailing\\"));
        assertThrows(IllegalArgumentException.class, () -> MountInfo.parseLine("1 2 3:4 / /x rw"));
    }

    @Test
    void v1OptionsThatAreNotControllersAreDropped() {
        assertEquals(List.of("cpuset"), CgroupScan.v1Controllers("rw,cpuset,noprefix,clone_children"));
        assertEquals(List.of("name=systemd"), CgroupScan.v1Controllers("rw,xattr,release_agent=/x,name=systemd"));
    }
}
