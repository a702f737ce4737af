package org.lxj.linux.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lxj.linux.check.CheckLine;
import org.lxj.linux.check.CheckSection;
import org.lxj.linux.check.CheckStatus;

/** The four sections of LXC 5.0's lxc-checkconfig, line for line. */
final class LxcSections {

    private final Verdicts v;
    private final KernelProbe probe;
    private final HostPaths paths;
    private final KernelVersion kernel;
    private final List<MountEntry> mounts;
    private final List<String> binDirs;

    LxcSections(Verdicts v, HostPaths paths, KernelVersion kernel, List<MountEntry> mounts, List<String> binDirs) {
        this.v = v;
        this.probe = v.probe();
        this.paths = paths;
        this.kernel = kernel;
        this.mounts = mounts;
        this.binDirs = binDirs;
    }

    List<CheckSection> sections() {
        return List.of(namespaces(), controlGroups(), misc(), checkpointRestore());
    }

    private CheckSection namespaces() {
        List<CheckLine> l = new ArrayList<>();
        l.add(v.option("Namespaces", "CONFIG_NAMESPACES", true, () -> probe.anyPath("/proc/self/ns/uts",
                "/proc/self/ns/ipc", "/proc/self/ns/pid", "/proc/self/ns/net", "/proc/self/ns/user")));
        l.add(v.option("Utsname namespace", "CONFIG_UTS_NS", false, () -> probe.path("/proc/self/ns/uts")));
        l.add(v.option("Ipc namespace", "CONFIG_IPC_NS", true, () -> probe.path("/proc/self/ns/ipc")));
        l.add(v.option("Pid namespace", "CONFIG_PID_NS", true, () -> probe.path("/proc/self/ns/pid")));
        l.add(v.option("User namespace", "CONFIG_USER_NS", false, () -> probe.path("/proc/self/ns/user")));
        if (v.isSet("CONFIG_USER_NS", () -> probe.path("/proc/self/ns/user"))) {
            idMapHelper(l, "newuidmap");
            idMapHelper(l, "newgidmap");
        }
        l.add(v.option("Network namespace", "CONFIG_NET_NS", false, () -> probe.path("/proc/self/ns/net")));
        if (kernel.before(4, 7)) {
            l.add(v.option("Multiple /dev/pts instances", "CONFIG_DEVPTS_MULTIPLE_INSTANCES", false,
                    () -> Evidence.unknown("no runtime probe for devpts instances")));
        }
        return new CheckSection("Namespaces", l);
    }

    /** lxc-checkconfig warns when the shadow helpers for unprivileged id maps are absent or not setuid. */
    private void idMapHelper(List<CheckLine> l, String name) {
        for (String dir : binDirs) {
            Path p = paths.resolve(dir + "/" + name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                if (!setuid(p)) {
                    l.add(CheckLine.note("Warning: " + name + " is not setuid-root"));
                }
                return;
            }
        }
        l.add(CheckLine.note(name + " is not installed"));
    }

    private static boolean setuid(Path p) {
        try {
            return (((Integer) Files.getAttribute(p, "unix:mode")) & 04000) != 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private CheckSection controlGroups() {
        List<CheckLine> l = new ArrayList<>();
        l.add(v.option("Cgroups", "CONFIG_CGROUPS", false, () -> probe.path("/proc/self/cgroup")));
        l.add(Verdicts.probed("Cgroup namespace", probe.path("/proc/self/ns/cgroup"), false));
        List<String> v1 = mountPoints("cgroup");
        List<String> v2 = mountPoints("cgroup2");
        l.add(CheckLine.list("Cgroup v1 mount points", v1, "cgroup mounts in /proc/self/mountinfo"));
        l.add(CheckLine.list("Cgroup v2 mount points", v2, "cgroup2 mounts in /proc/self/mountinfo"));
        if (!v2.equals(List.of("/sys/fs/cgroup"))) {
            if (v1.stream().noneMatch(m -> m.contains("/systemd"))) {
                l.add(CheckLine.verdict("Cgroup v1 systemd controller", CheckStatus.FAILED,
                        "no cgroup v1 mount point contains /systemd"));
            }
            if (v1.stream().noneMatch(m -> m.contains("/freezer"))) {
                l.add(CheckLine.verdict("Cgroup v1 freezer controller", CheckStatus.FAILED,
                        "no cgroup v1 mount point contains /freezer"));
            }
            if (!v1.isEmpty() && Files.isRegularFile(paths.resolve(v1.get(0) + "/cgroup.clone_children"))) {
                l.add(CheckLine.verdict("Cgroup v1 clone_children flag", CheckStatus.ENABLED,
                        v1.get(0) + "/cgroup.clone_children exists"));
            }
        }
        l.add(v.option("Cgroup device", "CONFIG_CGROUP_DEVICE", false, () -> probe.cgroupController("devices")));
        l.add(v.option("Cgroup sched", "CONFIG_CGROUP_SCHED", false, () -> probe.cgroupController("cpu")));
        l.add(v.option("Cgroup cpu account", "CONFIG_CGROUP_CPUACCT", false,
                () -> probe.cgroupController("cpuacct")));
        // lxc-checkconfig's own test: (major >= 3 && minor >= 6) || major > 3
        boolean memcg = (kernel.major() >= 3 && kernel.minor() >= 6) || kernel.major() > 3;
        l.add(v.option("Cgroup memory controller", memcg ? "CONFIG_MEMCG" : "CONFIG_CGROUP_MEM_RES_CTLR", false,
                () -> probe.cgroupController("memory")));
        if (v.isSet("CONFIG_SMP", this::smp)) {
            l.add(v.option("Cgroup cpuset", "CONFIG_CPUSETS", false, () -> probe.cgroupController("cpuset")));
        }
        return new CheckSection("Control groups", l);
    }

    private List<String> mountPoints(String fsType) {
        return mounts.stream().filter(m -> m.fsType().equals(fsType)).map(m -> m.mountPoint().toString()).toList();
    }

    private Evidence smp() {
        String possible = paths.read("/sys/devices/system/cpu/possible").orElse("").trim();
        if (possible.isEmpty()) {
            return Evidence.unknown("/sys/devices/system/cpu/possible is not readable");
        }
        return possible.equals("0") ? Evidence.absent("only cpu 0 is possible")
                : Evidence.present("cpus " + possible + " are possible");
    }

    private CheckSection misc() {
        List<CheckLine> l = new ArrayList<>();
        l.add(module(v.option("Veth pair device", "CONFIG_VETH", false,
                () -> probe.kernelObject("veth_setup", "veth")), "veth"));
        l.add(module(v.option("Macvlan", "CONFIG_MACVLAN", false,
                () -> probe.kernelObject("macvlan_setup", "macvlan")), "macvlan"));
        l.add(module(v.option("Vlan", "CONFIG_VLAN_8021Q", false,
                () -> probe.kernelObject("vlan_setup", "8021q")), "8021q"));
        l.add(module(v.option("Bridges", "CONFIG_BRIDGE", false,
                () -> probe.kernelObject("br_dev_setup", "bridge")), "bridge"));
        l.add(module(v.option("Advanced netfilter", "CONFIG_NETFILTER_ADVANCED", false, this::advancedNetfilter),
                "nf_tables"));
        if (kernel.major() > 3 && kernel.minor() > 6 && kernel.major() < 5) {
            l.add(module(v.option("CONFIG_NF_NAT_IPV4", "CONFIG_NF_NAT_IPV4", false,
                    () -> probe.module("nf_nat_ipv4")), "nf_nat_ipv4"));
            l.add(module(v.option("CONFIG_NF_NAT_IPV6", "CONFIG_NF_NAT_IPV6", false,
                    () -> probe.module("nf_nat_ipv6")), "nf_nat_ipv6"));
        }
        l.add(module(v.option("CONFIG_IP_NF_TARGET_MASQUERADE", "CONFIG_IP_NF_TARGET_MASQUERADE", false,
                () -> probe.netfilter("/proc/net/ip_tables_targets", "MASQUERADE", "xt_MASQUERADE")),
                "nf_nat_masquerade_ipv4"));
        l.add(module(v.option("CONFIG_IP6_NF_TARGET_MASQUERADE", "CONFIG_IP6_NF_TARGET_MASQUERADE", false,
                () -> probe.netfilter("/proc/net/ip6_tables_targets", "MASQUERADE", "xt_MASQUERADE")),
                "nf_nat_masquerade_ipv6"));
        l.add(module(v.option("CONFIG_NETFILTER_XT_TARGET_CHECKSUM", "CONFIG_NETFILTER_XT_TARGET_CHECKSUM", false,
                () -> probe.netfilter("/proc/net/ip_tables_targets", "CHECKSUM", "xt_CHECKSUM")), "xt_CHECKSUM"));
        l.add(module(v.option("CONFIG_NETFILTER_XT_MATCH_COMMENT", "CONFIG_NETFILTER_XT_MATCH_COMMENT", false,
                () -> probe.netfilter("/proc/net/ip_tables_matches", "comment", "xt_comment")), "xt_comment"));
        l.add(module(v.option("FUSE (for use with lxcfs)", "CONFIG_FUSE_FS", false, () -> probe.filesystem("fuse")),
                "fuse"));
        return new CheckSection("Misc", l);
    }

    private CheckLine module(CheckLine line, String module) {
        return v.withModule(line, module);
    }

    /** No file says NETFILTER_ADVANCED; the xt_comment match and CHECKSUM target exist only with it. */
    private Evidence advancedNetfilter() {
        Evidence comment = probe.netfilter("/proc/net/ip_tables_matches", "comment", "xt_comment");
        Evidence checksum = comment.isPresent() ? comment
                : probe.netfilter("/proc/net/ip_tables_targets", "CHECKSUM", "xt_CHECKSUM");
        if (checksum.isPresent()) {
            return Evidence.present(checksum.text() + ", which needs CONFIG_NETFILTER_ADVANCED");
        }
        return Evidence.unknown("no registered match or target shows CONFIG_NETFILTER_ADVANCED");
    }

    private CheckSection checkpointRestore() {
        List<CheckLine> l = new ArrayList<>();
        l.add(v.option("checkpoint restore", "CONFIG_CHECKPOINT_RESTORE", false,
                () -> probe.path("/proc/self/map_files")));
        l.add(v.option("CONFIG_FHANDLE", "CONFIG_FHANDLE", false, () -> probe.syscall("name_to_handle_at")));
        l.add(v.option("CONFIG_EVENTFD", "CONFIG_EVENTFD", false, () -> probe.syscall("eventfd2")));
        l.add(v.option("CONFIG_EPOLL", "CONFIG_EPOLL", false, () -> probe.syscall("epoll_create1")));
        l.add(v.option("CONFIG_UNIX_DIAG", "CONFIG_UNIX_DIAG", false,
                () -> probe.kernelObject("unix_diag_dump", "unix_diag")));
        l.add(v.option("CONFIG_INET_DIAG", "CONFIG_INET_DIAG", false,
                () -> probe.kernelObject("inet_diag_dump", "inet_diag")));
        l.add(v.option("CONFIG_PACKET_DIAG", "CONFIG_PACKET_DIAG", false,
                () -> probe.kernelObject("packet_diag_dump", "af_packet_diag")));
        l.add(v.option("CONFIG_NETLINK_DIAG", "CONFIG_NETLINK_DIAG", false,
                () -> probe.kernelObject("netlink_diag_dump", "netlink_diag")));
        if (kernel.major() == 2 && kernel.minor() < 33) {
            l.add(v.option("File capabilities", "CONFIG_SECURITY_FILE_CAPABILITIES", false,
                    () -> Evidence.unknown("no runtime probe for file capabilities")));
        } else {
            l.add(CheckLine.verdict("File capabilities", CheckStatus.ENABLED,
                    "always built in since Linux 2.6.33"));
        }
        return new CheckSection("Checkpoint/Restore", l);
    }
}
