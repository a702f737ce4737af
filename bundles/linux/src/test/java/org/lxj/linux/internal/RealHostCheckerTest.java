package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lxj.linux.check.CheckLine;
import org.lxj.linux.check.CheckReport;
import org.lxj.linux.check.CheckReportFormatter;
import org.lxj.linux.check.CheckSection;
import org.lxj.linux.check.CheckStatus;
import org.lxj.linux.check.HostChecker;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

/** The checker and the host facts against this machine's real kernel (one comparison needs root). */
class RealHostCheckerTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final HostChecker checker = new HostCheckerImpl(sys);

    @Test
    void realHostHasTheNamespacesSection() {
        CheckReport report = checker.check();
        CheckSection ns = report.section("Namespaces").orElseThrow();
        assertEquals(List.of("Namespaces", "Utsname namespace", "Ipc namespace", "Pid namespace", "User namespace",
                "Network namespace"), ns.lines().stream().filter(l -> l.status() != CheckStatus.NOTE)
                        .map(CheckLine::label).toList());
        Map<String, String> files = Map.of("Utsname namespace", "uts", "Ipc namespace", "ipc",
                "Pid namespace", "pid", "User namespace", "user", "Network namespace", "net");
        files.forEach((label, file) -> assertEquals(Files.exists(Path.of("/proc/self/ns/" + file)),
                ns.line(label).orElseThrow().status() == CheckStatus.ENABLED, label));
        assertEquals(List.of("Namespaces", "Control groups", "Misc", "Checkpoint/Restore", "LXJ"),
                report.sections().stream().map(CheckSection::title).toList());
        String text = CheckReportFormatter.format(report, false);
        assertTrue(text.contains("\n--- Namespaces ---\nNamespaces: enabled\n"), text);
    }

    @Test
    void probesOfTheRunningKernelAgreeWithItsConfiguration() {
        assumeTrue(sys.geteuid() == 0, "/proc/net/ip_tables_* are readable by root only");
        assumeTrue(Files.exists(Path.of("/proc/config.gz")), "the kernel has no /proc/config.gz to compare with");
        CheckReport config = checker.check();
        CheckReport probed = checker.checkRunningKernel();
        for (String title : List.of("Namespaces", "Control groups", "Checkpoint/Restore")) {
            CheckSection c = config.section(title).orElseThrow();
            CheckSection p = probed.section(title).orElseThrow();
            for (CheckLine line : c.lines()) {
                CheckLine other = p.line(line.label()).orElseThrow();
                assertEquals(line.status(), other.status(),
                        title + ": " + line.label() + " (" + other.evidence() + ")");
            }
        }
        CheckSection misc = probed.section("Misc").orElseThrow();
        for (CheckLine line : config.section("Misc").orElseThrow().lines()) {
            CheckLine other = misc.line(line.label()).orElseThrow();
            // a probe may not be able to tell, but it must never contradict the configuration
            assertTrue(other.status() == line.status() || other.status() == CheckStatus.UNKNOWN,
                    line.label() + ": " + line.status() + " vs " + other.status() + " (" + other.evidence() + ")");
        }
    }

    @Test
    void hostFactsOfThisMachine() {
        HostFacts f = new HostProbe(HostPaths.live(), sys).probe();
        assertEquals(sys.uname().release(), f.kernelRelease());
        assertTrue(f.supportsFilesystem("proc"));
        assertTrue(f.lsms().isEmpty() || f.lsms().contains("capability"), f.lsms().toString());
        assertTrue(f.landlockAbi() >= 0);
        assertEquals(f.cgroups().isEmpty(), f.cgroupLayout() == CgroupLayout.NONE);
    }
}
