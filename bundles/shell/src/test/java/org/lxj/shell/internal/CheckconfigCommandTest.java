package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.lxj.linux.check.CheckLine;
import org.lxj.linux.check.CheckReport;
import org.lxj.linux.check.CheckSection;
import org.lxj.linux.check.CheckStatus;
import org.lxj.linux.check.HostChecker;

class CheckconfigCommandTest {

    /** Answers every check with one fixed report and remembers which kernel configuration it was given. */
    static final class FakeChecker implements HostChecker {
        final List<String> calls = new ArrayList<>();
        final CheckReport report = new CheckReport(List.of("Kernel configuration found at /boot/config-6.1"),
                List.of(new CheckSection("Namespaces", List.of(
                        CheckLine.verdict("Namespaces", CheckStatus.ENABLED, "CONFIG_NAMESPACES=y"),
                        CheckLine.verdict("Vlan", CheckStatus.MISSING, "CONFIG_VLAN_8021Q unset")))),
                List.of("Note : Before booting a new kernel, you can check its configuration"));

        @Override
        public CheckReport check() {
            calls.add("default");
            return report;
        }

        @Override
        public CheckReport check(Path kernelConfig) {
            calls.add(kernelConfig.toString());
            return report;
        }

        @Override
        public CheckReport checkRunningKernel() {
            calls.add("running");
            return report;
        }
    }

    private static final String PLAIN = """
            LXJ version 0.1.0
            Kernel configuration found at /boot/config-6.1

            --- Namespaces ---
            Namespaces: enabled
            Vlan: missing

            Note : Before booting a new kernel, you can check its configuration

            """;

    @Test
    void printsTheReportWithoutColourOffATerminal() {
        FakeChecker checker = new FakeChecker();
        GoldenTest.Result r = GoldenTest.run(new CheckconfigCommand(checker, "0.1.0", Map.<String, String>of()::get),
                false, 0, List.of());
        assertEquals(PLAIN, r.out());
        assertEquals("", r.err());
        assertEquals(0, r.status());
        assertEquals(List.of("default"), checker.calls);
    }

    @Test
    void coloursVerdictsOnATerminal() {
        GoldenTest.Result r = GoldenTest.run(new CheckconfigCommand(new FakeChecker(), "0.1.0", name -> null),
                true, 80, List.of());
        assertTrue(r.out().contains("Namespaces: \033[1;32menabled\033[0;39m\n"), r.out());
        assertEquals(PLAIN, r.out().replaceAll("\033\\[[0-9;]*m", ""));
    }

    @Test
    void readsTheKernelConfigurationNamedByConfig() {
        FakeChecker checker = new FakeChecker();
        GoldenTest.run(new CheckconfigCommand(checker, "0.1.0", Map.of("CONFIG", "config-6.1")::get), false, 0,
                List.of());
        assertEquals(List.of("/tmp/shell-oracle-work/config-6.1"), checker.calls);
    }
}
