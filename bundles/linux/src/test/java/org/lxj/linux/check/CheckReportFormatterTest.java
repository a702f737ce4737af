package org.lxj.linux.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckReportFormatterTest {

    private final CheckReport report = new CheckReport(List.of("LXJ version 0.1.0"), List.of(
            new CheckSection("Namespaces", List.of(
                    CheckLine.verdict("Namespaces", CheckStatus.ENABLED, "e"),
                    CheckLine.verdict("Pid namespace", CheckStatus.REQUIRED, "e"),
                    CheckLine.note("newuidmap is not installed"))),
            new CheckSection("Misc", List.of(
                    CheckLine.verdict("Veth pair device", CheckStatus.ENABLED, "e").withDetail("loaded"),
                    CheckLine.verdict("Vlan", CheckStatus.MISSING, "e"),
                    CheckLine.list("Cgroup v2 mount points", List.of("/sys/fs/cgroup"), "e"),
                    CheckLine.info("Landlock ABI", "7", "e")))),
            List.of("Note : n"));

    @Test
    void plainLayoutIsLxcs() {
        assertEquals(String.join("\n",
                "LXJ version 0.1.0",
                "",
                "--- Namespaces ---",
                "Namespaces: enabled",
                "Pid namespace: required",
                "newuidmap is not installed",
                "",
                "--- Misc ---",
                "Veth pair device: enabled, loaded",
                "Vlan: missing",
                "Cgroup v2 mount points: ",
                " - /sys/fs/cgroup",
                "Landlock ABI: 7",
                "",
                "Note : n",
                "",
                ""), CheckReportFormatter.format(report, false));
    }

    @Test
    void colourOnlyPaintsVerdicts() {
        String out = CheckReportFormatter.format(report, true);
        assertTrue(out.contains("Namespaces: \033[1;32menabled\033[0;39m\n"));
        assertTrue(out.contains("Pid namespace: \033[1;31mrequired\033[0;39m\n"));
        assertTrue(out.contains("Vlan: \033[1;33mmissing\033[0;39m\n"));
        assertTrue(out.contains("Veth pair device: \033[1;32menabled\033[0;39m, loaded\n"));
        assertTrue(out.contains("Landlock ABI: 7\n"));
        assertEquals(out.replaceAll("\033\\[[0-9;]*m", ""), CheckReportFormatter.format(report, false));
    }
}
