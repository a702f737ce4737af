package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.check.CheckLine;
import org.lxj.linux.check.CheckReport;
import org.lxj.linux.check.CheckReportFormatter;
import org.lxj.linux.check.CheckSection;
import org.lxj.linux.check.CheckStatus;

class HostCheckerTest {

    @TempDir
    Path tmp;

    @Test
    void reproducesLxcCheckconfigOnTheCapturedHost() {
        CheckReport report = FakeHost.hybrid(tmp).checker().check();
        String ours = CheckReportFormatter.format(report, false);
        // lxc-checkconfig 5.0.2 run on the same machine; its version line and $0 differ by design
        String lxc = FakeHost.resource("lxc-checkconfig-5.0.2-host.txt")
                .replace("LXC version 5.0.2\n", "")
                .replace("CONFIG=/path/to/config /usr/bin/lxc-checkconfig", "CONFIG=/path/to/config lxc-checkconfig");
        assertEquals(lxc, withoutSection(ours, "LXJ"));
    }

    @Test
    void matchesTheGoldenReportWithTheLxjSection() {
        CheckReport report = FakeHost.hybrid(tmp).checker().check().withTitle("LXJ version 0.1.0");
        assertEquals(FakeHost.resource("checkconfig-golden.txt"), CheckReportFormatter.format(report, false));
    }

    @Test
    void probesAgreeWithTheKernelConfiguration() {
        FakeHost host = FakeHost.hybrid(tmp);
        CheckReport fromConfig = host.checker().check();
        CheckReport probed = host.checker().checkRunningKernel();
        assertEquals(List.of("Probing the running kernel; no kernel configuration is used"), probed.preamble());
        for (CheckSection s : fromConfig.sections()) {
            CheckSection p = probed.section(s.title()).orElseThrow();
            assertEquals(statuses(s), statuses(p), s.title());
        }
        CheckLine veth = probed.section("Misc").orElseThrow().line("Veth pair device").orElseThrow();
        assertEquals("/proc/kallsyms has veth_setup", veth.evidence());
        CheckLine vlan = probed.section("Misc").orElseThrow().line("Vlan").orElseThrow();
        assertEquals(CheckStatus.MISSING, vlan.status());
        assertTrue(vlan.evidence().contains("no module support"), vlan.evidence());
        CheckLine pid = fromConfig.section("Namespaces").orElseThrow().line("Pid namespace").orElseThrow();
        assertEquals("CONFIG_PID_NS=y in /proc/config.gz", pid.evidence());
    }

    @Test
    void missingNamespacesAreRequiredOrMissingAsLxcSays() {
        FakeHost host = FakeHost.hybrid(tmp).delete("/proc/self/ns/pid").delete("/proc/self/ns/uts")
                .delete("/proc/config.gz");
        CheckSection ns = host.checker().check().section("Namespaces").orElseThrow();
        assertEquals(CheckStatus.REQUIRED, ns.line("Pid namespace").orElseThrow().status());
        assertEquals(CheckStatus.MISSING, ns.line("Utsname namespace").orElseThrow().status());
        assertEquals(CheckStatus.ENABLED, ns.line("Ipc namespace").orElseThrow().status());
    }

    @Test
    void searchesBootWhenProcHasNoConfiguration() {
        FakeHost host = FakeHost.hybrid(tmp).delete("/proc/config.gz")
                .file("/boot/config-" + FakeHost.RELEASE, FakeHost.resource("host-hybrid/config.txt"));
        CheckReport r = host.checker().check();
        assertEquals(List.of("Kernel configuration not found at /proc/config.gz; searching...",
                "Kernel configuration found at /boot/config-" + FakeHost.RELEASE), r.preamble());
        assertEquals("CONFIG_VETH=y in /boot/config-" + FakeHost.RELEASE,
                r.section("Misc").orElseThrow().line("Veth pair device").orElseThrow().evidence());
    }

    @Test
    void withoutConfigurationOrKallsymsTheAnswerIsUnknown() {
        FakeHost host = FakeHost.hybrid(tmp).delete("/proc/config.gz").delete("/proc/kallsyms");
        CheckReport r = host.checker().check();
        assertEquals("Kernel configuration not found; probing the running kernel", r.preamble().get(1));
        CheckSection cr = r.section("Checkpoint/Restore").orElseThrow();
        assertEquals(CheckStatus.UNKNOWN, cr.line("CONFIG_EPOLL").orElseThrow().status());
        assertEquals(CheckStatus.ENABLED, cr.line("checkpoint restore").orElseThrow().status());
    }

    @Test
    void warnsAboutIdMapHelpers() {
        FakeHost host = FakeHost.hybrid(tmp).delete("/usr/bin/newgidmap").executable("/usr/bin/newuidmap", 0755);
        List<String> notes = host.checker().check().section("Namespaces").orElseThrow().lines().stream()
                .filter(l -> l.status() == CheckStatus.NOTE).map(CheckLine::label).toList();
        assertEquals(List.of("Warning: newuidmap is not setuid-root", "newgidmap is not installed"), notes);
    }

    @Test
    void unifiedHostSkipsTheV1ControllerLines() {
        FakeHost host = FakeHost.hybrid(tmp).file("/proc/self/mountinfo",
                "31 23 0:28 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n")
                .file("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
        CheckSection cg = host.checker().check().section("Control groups").orElseThrow();
        assertTrue(cg.line("Cgroup v1 systemd controller").isEmpty());
        assertTrue(cg.line("Cgroup v1 clone_children flag").isEmpty());
        assertEquals(List.of("/sys/fs/cgroup"), cg.line("Cgroup v2 mount points").orElseThrow().items());
        CheckSection lxj = host.checker().check().section("LXJ").orElseThrow();
        assertEquals("unified", lxj.line("Cgroup layout").orElseThrow().detail());
        assertEquals(List.of("v2 /sys/fs/cgroup: cpuset,cpu,io,memory,pids"),
                lxj.line("Cgroup hierarchies").orElseThrow().items());
    }

    @Test
    void aCgroup2MountWithoutControllersSaysSo() {
        FakeHost host = FakeHost.hybrid(tmp).file("/sys/fs/cgroup/unified/cgroup.controllers", "\n");
        List<String> items = host.checker().check().section("LXJ").orElseThrow().line("Cgroup hierarchies")
                .orElseThrow().items();
        assertEquals("v2 /sys/fs/cgroup/unified: (no controllers)", items.get(items.size() - 1));
    }

    @Test
    void legacyHostWithoutFreezerFails() {
        FakeHost host = FakeHost.hybrid(tmp).file("/proc/self/mountinfo",
                "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n");
        CheckReport r = host.checker().check();
        CheckSection cg = r.section("Control groups").orElseThrow();
        assertEquals(CheckStatus.FAILED, cg.line("Cgroup v1 systemd controller").orElseThrow().status());
        assertEquals(CheckStatus.FAILED, cg.line("Cgroup v1 freezer controller").orElseThrow().status());
        assertTrue(r.hasFailures());
        assertFalse(FakeHost.hybrid(tmp.resolve("ok")).checker().check().hasFailures());
    }

    @Test
    void modularKernelsSayWhetherTheModuleIsLoaded() {
        FakeHost host = FakeHost.hybrid(tmp).file("/proc/modules",
                "veth 40960 0 - Live 0x0000000000000000\nbridge 311296 1 br_netfilter, Live 0x0\n");
        CheckSection misc = host.checker().check().section("Misc").orElseThrow();
        assertEquals("loaded", misc.line("Veth pair device").orElseThrow().detail());
        assertEquals("not loaded", misc.line("Macvlan").orElseThrow().detail());
        assertEquals("", misc.line("Vlan").orElseThrow().detail());
    }

    @Test
    void reportsEachSecurityMechanism() {
        CheckSection lxj = FakeHost.hybrid(tmp).checker().check().section("LXJ").orElseThrow();
        assertEquals(CheckStatus.ENABLED, lxj.line("Seccomp filters").orElseThrow().status());
        assertEquals("tsync log spec_allow new_listener tsync_esrch wait_killable_recv",
                lxj.line("Seccomp filter flags").orElseThrow().detail());
        assertEquals(CheckStatus.ENABLED, lxj.line("Seccomp user notification").orElseThrow().status());
        assertEquals(CheckStatus.MISSING, lxj.line("AppArmor").orElseThrow().status());
        assertEquals(CheckStatus.MISSING, lxj.line("SELinux").orElseThrow().status());
        assertEquals("7", lxj.line("Landlock ABI").orElseThrow().detail());
        assertEquals(CheckStatus.ENABLED, lxj.line("no_new_privs").orElseThrow().status());
        assertEquals("0-40", lxj.line("Capabilities").orElseThrow().detail());
        assertEquals("000001fffeffffff", lxj.line("Runtime bounding set").orElseThrow().detail());
    }

    @Test
    void olderKernelsLackNewerFilterFlagsAndUnreadableFilesAreUnknown() {
        assertEquals(List.of("tsync", "log", "spec_allow"), SecurityProbe.filterFlags("4.19.0-21-amd64"));
        assertEquals(List.of("tsync", "log", "spec_allow", "new_listener", "tsync_esrch", "wait_killable_recv"),
                SecurityProbe.filterFlags("6.1.0"));
        assertEquals(List.of(), SecurityProbe.filterFlags("weird"));
        CheckSection lxj = FakeHost.hybrid(tmp).delete("/proc/self/status").delete("/proc/sys/kernel/cap_last_cap")
                .file("/proc/sys/kernel/seccomp/actions_avail", "kill_process kill_thread trap errno trace log allow\n")
                .checker().check().section("LXJ").orElseThrow();
        assertEquals(CheckStatus.MISSING, lxj.line("Seccomp user notification").orElseThrow().status());
        assertEquals(CheckStatus.UNKNOWN, lxj.line("no_new_privs").orElseThrow().status());
        assertEquals(CheckStatus.UNKNOWN, lxj.line("Capabilities").orElseThrow().status());
        assertTrue(lxj.line("Runtime bounding set").isEmpty());
    }

    private static String statuses(CheckSection s) {
        return s.lines().stream().map(l -> l.label() + "=" + l.status()).collect(Collectors.joining("\n"));
    }

    private static String withoutSection(String text, String title) {
        int start = text.indexOf("\n--- " + title + " ---\n");
        int end = text.indexOf("\nNote : ");
        return text.substring(0, start) + text.substring(end);
    }
}
