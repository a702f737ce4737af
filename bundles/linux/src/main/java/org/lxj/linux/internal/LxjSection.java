package org.lxj.linux.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.lxj.linux.check.CheckLine;
import org.lxj.linux.check.CheckSection;
import org.lxj.linux.check.CheckStatus;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.HostFacts;

/**
 * What LXJ's own backends need beyond lxc-checkconfig's list, from the probed {@link HostFacts}
 * (seccomp actions in the kernel's order, which the facts' set does not keep).
 */
final class LxjSection {

    private final HostFacts facts;
    private final HostProbe host;
    private final KernelProbe probe;

    LxjSection(HostProbe host, KernelProbe probe) {
        this.facts = host.probe();
        this.host = host;
        this.probe = probe;
    }

    CheckSection section() {
        List<CheckLine> l = new ArrayList<>();
        boolean seccomp = !facts.seccompActions().isEmpty();
        l.add(CheckLine.verdict("Seccomp filters", seccomp ? CheckStatus.ENABLED : CheckStatus.MISSING,
                "/proc/sys/kernel/seccomp/actions_avail" + (seccomp ? " lists actions" : " is empty or absent")));
        if (seccomp) {
            l.add(CheckLine.info("Seccomp actions", String.join(" ", host.seccompActions()),
                    "/proc/sys/kernel/seccomp/actions_avail"));
            l.add(CheckLine.info("Seccomp filter flags", String.join(" ", SecurityProbe.filterFlags(facts.kernelRelease())),
                    "flags of seccomp(SECCOMP_SET_MODE_FILTER) by the kernel release that added them ("
                            + facts.kernelRelease() + ")"));
            boolean notify = facts.seccompActions().contains("user_notif");
            l.add(CheckLine.verdict("Seccomp user notification", notify ? CheckStatus.ENABLED : CheckStatus.MISSING,
                    "/proc/sys/kernel/seccomp/actions_avail " + (notify ? "lists" : "does not list") + " user_notif"));
        }
        l.add(SecurityProbe.noNewPrivs(probe.read("/proc/self/status")));
        l.addAll(SecurityProbe.capabilities(probe.read("/proc/sys/kernel/cap_last_cap"),
                probe.read("/proc/self/status")));
        boolean landlock = facts.landlockAbi() > 0;
        l.add(CheckLine.verdict("Landlock", landlock ? CheckStatus.ENABLED : CheckStatus.MISSING,
                "landlock_create_ruleset(LANDLOCK_CREATE_RULESET_VERSION) "
                        + (landlock ? "returned " + facts.landlockAbi() : "failed")));
        if (landlock) {
            l.add(CheckLine.info("Landlock ABI", Integer.toString(facts.landlockAbi()), "landlock_create_ruleset"));
        }
        String lsmSource = "/sys/kernel/security/lsm or lsm_list_modules(2)";
        l.add(CheckLine.info("Active LSMs", facts.lsms().isEmpty() ? "unknown" : String.join(",", facts.lsms()),
                lsmSource));
        l.add(lsm("AppArmor", "apparmor", lsmSource));
        l.add(lsm("SELinux", "selinux", lsmSource));
        l.add(filesystem("Overlay filesystem", "overlay"));
        l.add(filesystem("Btrfs filesystem", "btrfs"));
        l.add(Verdicts.probed("Loop devices", probe.path("/dev/loop-control"), false));
        l.add(CheckLine.verdict("User namespace creation",
                facts.userNamespaces() ? CheckStatus.ENABLED : CheckStatus.MISSING,
                "/proc/self/ns/user and /proc/sys/user/max_user_namespaces"));
        l.add(CheckLine.info("Cgroup layout", facts.cgroupLayout().name().toLowerCase(Locale.ROOT),
                "cgroup mounts in /proc/self/mountinfo"));
        l.add(CheckLine.list("Cgroup hierarchies", facts.cgroups().stream().map(LxjSection::hierarchy).toList(),
                "cgroup mounts in /proc/self/mountinfo, cgroup.controllers of cgroup2 mounts"));
        return new CheckSection("LXJ", l);
    }

    private CheckLine lsm(String label, String name, String source) {
        if (facts.lsms().isEmpty()) {
            return CheckLine.verdict(label, CheckStatus.UNKNOWN, "the active LSMs could not be read");
        }
        boolean on = facts.lsms().contains(name);
        return CheckLine.verdict(label, on ? CheckStatus.ENABLED : CheckStatus.MISSING,
                source + (on ? " lists " : " does not list ") + name);
    }

    private CheckLine filesystem(String label, String name) {
        boolean on = facts.supportsFilesystem(name);
        return CheckLine.verdict(label, on ? CheckStatus.ENABLED : CheckStatus.MISSING,
                "/proc/filesystems " + (on ? "lists " : "does not list ") + name);
    }

    private static String hierarchy(CgroupHierarchy h) {
        String controllers = h.controllers().isEmpty() ? "(no controllers)" : String.join(",", h.controllers());
        return "v" + h.version() + " " + h.mountPoint() + ": " + controllers;
    }
}
