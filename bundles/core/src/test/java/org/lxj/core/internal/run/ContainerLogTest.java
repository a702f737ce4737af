package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.spi.launch.Namespace;

/** The container log: LXC's line format, its levels, and the settings kept for the cleanup. */
class ContainerLogTest {
    @TempDir
    Path tmp;

    private ContainerConfig config(String text) {
        return new ConfigParser().parse(text, tmp.resolve("config"));
    }

    @Test
    void linesHaveLxcsFormat() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-29T04:45:00.123Z"), ZoneOffset.UTC);
        ContainerLog log = new ContainerLog("lxc-start", "b", tmp.resolve("log"), ContainerLog.INFO, clock);
        assertEquals("lxc-start b 20261129044500.123 INFO     start - ContainerStarter.java:run:215 - Container \"b\" is"
                + " initialized\n", log.format(ContainerLog.INFO, "start", "ContainerStarter.java:run:215",
                        "Container \"b\" is initialized"));
        assertEquals("lxc-start b 20261129044500.123 NOTICE   conf - X.java:m:1 - set up\n",
                log.format(ContainerLog.NOTICE, "conf", "X.java:m:1", "set up"));
    }

    @Test
    void onlyLinesAtOrAboveTheLevelAreWritten() throws IOException {
        Path file = tmp.resolve("b.log");
        ContainerLog log = ContainerLog.of("lxc-execute", "b", config("lxc.log.file = " + file
                + "\nlxc.log.level = notice\n"));
        log.info("start", "not written");
        log.notice("conf", "The container \"b\" is set up");
        log.error("start", "Failed to start \"b\": boom");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("lxc-execute b \\d{14}\\.\\d{3} NOTICE   conf - ContainerLogTest\\.java:"
                + "onlyLinesAtOrAboveTheLevelAreWritten:\\d+ - The container \"b\" is set up"), lines.get(0));
        assertTrue(lines.get(1).matches("lxc-execute b \\d{14}\\.\\d{3} ERROR    start - .* - Failed to start \"b\": boom"),
                lines.get(1));
    }

    @Test
    void theDefaultLevelIsErrorAndNumbersAreLevelsToo() throws IOException {
        Path file = tmp.resolve("d.log");
        ContainerLog.of("lxc-start", "d", config("lxc.log.file = " + file + "\n")).notice("start", "dropped");
        assertFalse(Files.exists(file), "NOTICE is below the default ERROR");
        ContainerLog log = ContainerLog.of("lxc-start", "d", config("lxc.log.file = " + file + "\nlxc.log.level = 2\n"));
        log.cloned(EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.NET));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(List.of("Cloned CLONE_NEWNS", "Cloned CLONE_NEWPID", "Cloned CLONE_NEWNET"),
                lines.stream().map(l -> l.substring(l.lastIndexOf(" - ") + 3)).toList());
        assertEquals(Optional.of(4), ContainerLog.levelIndex("WARNING"));
        assertEquals(Optional.of(0), ContainerLog.levelIndex("trace"));
        assertEquals(Optional.empty(), ContainerLog.levelIndex("9"));
    }

    @Test
    void withoutAFileNothingIsWrittenAnywhere() {
        ContainerLog log = ContainerLog.of("lxc-start", "n", config("lxc.log.level = TRACE\n"));
        assertFalse(log.enabled());
        log.save(tmp);
        assertFalse(Files.exists(tmp.resolve(ContainerLog.RUN_FILE)));
    }

    @Test
    void theCleanupWritesToTheLogTheStartUsed() throws IOException {
        Path file = tmp.resolve("s.log");
        Path run = Files.createDirectories(tmp.resolve("run"));
        ContainerLog.of("lxc-start", "s", config("lxc.log.file = " + file + "\nlxc.log.level = INFO\n")).save(run);
        ContainerLog.load(run, "s").notice("start", "Container \"s\" stopped (exit status 0)");
        String line = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(line.startsWith("lxc-start s "), line);
        assertTrue(line.endsWith(" - Container \"s\" stopped (exit status 0)\n"), line);
        assertFalse(ContainerLog.load(tmp.resolve("missing"), "s").enabled());
    }
}
