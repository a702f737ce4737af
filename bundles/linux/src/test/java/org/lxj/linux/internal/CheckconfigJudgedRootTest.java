package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.lxj.linux.check.CheckLine;
import org.lxj.linux.check.CheckReport;
import org.lxj.linux.check.CheckReportFormatter;
import org.lxj.linux.check.CheckSection;
import org.lxj.linux.check.CheckStatus;

/**
 * {@code lxc-checkconfig} on the live host: LXC's sections read exactly as Debian's {@code lxc-checkconfig} prints
 * them here (its version line and {@code $0} aside), and the LXJ section reports each security mechanism as the
 * running kernel shows it. Root: LXC's script reads {@code /proc/config.gz} and the cgroup mounts as root does.
 */
class CheckconfigJudgedRootTest {

    static final Path LXC_CHECKCONFIG = Path.of("/usr/bin/lxc-checkconfig");

    static String read(String path) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of(path))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim())
                .findFirst().orElseThrow(() -> new AssertionError(name + " not in /proc/self/status"));
    }

    static String withoutSection(String report, String title) {
        String head = "--- " + title + " ---\n";
        int start = report.indexOf(head);
        if (start < 0) {
            return report;
        }
        int end = report.indexOf("\n\n", start);
        return report.substring(0, start) + report.substring(end + 2);
    }

    @Test
    void lxcsSectionsMatchDebiansLxcCheckconfigOnThisHost() throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root, as lxc-checkconfig does");
        assumeTrue(Files.isExecutable(LXC_CHECKCONFIG), "needs " + LXC_CHECKCONFIG + " (Debian lxc)");
        Process p = new ProcessBuilder(LXC_CHECKCONFIG.toString()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String lxc = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "lxc-checkconfig finishes");
        String version = lxc.lines().findFirst().orElse("");
        assertTrue(version.startsWith("LXC version "), lxc);
        String expected = lxc.replace(version + "\n", "")
                .replace("CONFIG=/path/to/config " + LXC_CHECKCONFIG, "CONFIG=/path/to/config lxc-checkconfig");
        String ours = CheckReportFormatter.format(new HostCheckerImpl(new JnaSyscalls()).check(), false);
        assertEquals(expected, withoutSection(ours, "LXJ"));
    }

    @Test
    void theLxjSectionReportsEachSecurityMechanismAsTheKernelShowsIt() throws IOException {
        JnaSyscalls sys = new JnaSyscalls();
        CheckReport report = new HostCheckerImpl(sys).check();
        CheckSection lxj = report.section("LXJ").orElseThrow();
        List<String> labels = lxj.lines().stream().map(CheckLine::label).toList();
        for (String mechanism : List.of("Seccomp filters", "Seccomp actions", "Seccomp filter flags",
                "Seccomp user notification", "no_new_privs", "Capabilities", "Runtime bounding set", "Landlock",
                "Landlock ABI", "Active LSMs", "AppArmor", "SELinux")) {
            assertTrue(labels.contains(mechanism), mechanism + " in " + labels);
        }
        String status = read("/proc/self/status");
        boolean seccomp = Files.isDirectory(Path.of("/proc/sys/kernel/seccomp"));
        assertEquals(seccomp ? CheckStatus.ENABLED : CheckStatus.MISSING,
                lxj.line("Seccomp filters").orElseThrow().status());
        if (seccomp) {
            List<String> actions = List.of(read("/proc/sys/kernel/seccomp/actions_avail").trim().split(" "));
            String reported = lxj.line("Seccomp actions").orElseThrow().detail();
            for (String a : actions) {
                assertTrue(reported.contains(a), a + " in " + reported);
            }
            assertEquals(actions.contains("user_notif") ? CheckStatus.ENABLED : CheckStatus.MISSING,
                    lxj.line("Seccomp user notification").orElseThrow().status());
        }
        assertEquals(CheckStatus.ENABLED, lxj.line("no_new_privs").orElseThrow().status(),
                "NoNewPrivs: " + field(status, "NoNewPrivs"));
        assertEquals("0-" + read("/proc/sys/kernel/cap_last_cap").trim(),
                lxj.line("Capabilities").orElseThrow().detail());
        assertEquals(field(status, "CapBnd"), lxj.line("Runtime bounding set").orElseThrow().detail());
        int abi = sys.landlockAbiVersion();
        assertEquals(abi > 0 ? CheckStatus.ENABLED : CheckStatus.MISSING, lxj.line("Landlock").orElseThrow().status());
        if (abi > 0) {
            assertEquals(Integer.toString(abi), lxj.line("Landlock ABI").orElseThrow().detail());
        }
        assertEquals(Files.isDirectory(Path.of("/sys/kernel/security/apparmor")) ? CheckStatus.ENABLED
                : CheckStatus.MISSING, lxj.line("AppArmor").orElseThrow().status());
        assertEquals(Files.isDirectory(Path.of("/sys/fs/selinux")) ? CheckStatus.ENABLED : CheckStatus.MISSING,
                lxj.line("SELinux").orElseThrow().status());
        String formatted = CheckReportFormatter.format(report, false);
        assertTrue(formatted.contains("--- LXJ ---\n"), formatted);
        assertEquals(lxj.lines().size(), lxj.lines().stream().map(CheckLine::label).collect(Collectors.toSet()).size(),
                "one line per mechanism: " + labels);
    }
}
