package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerStats;
import org.lxj.shell.internal.GoldenTest.Result;

/** {@code lxc-info} statistics lines of a running container, humanized as LXC's {@code size_humanize} does. */
class InfoStatsTest {
    private final FakeRuntime runtime = new FakeRuntime(FakeRuntime.debianSystemConfig()) {
        @Override
        public Optional<ContainerStats> stats(Path lxcpath, String name) {
            return Optional.of(new ContainerStats(OptionalLong.of(1_234_567_890L), OptionalLong.of(0),
                    OptionalLong.of(3_145_728L + 4096), OptionalLong.empty()));
        }
    }.add(FakeContainer.running(GoldenTest.P, "web", FakeConfig.of(), 4242))
            .add(FakeContainer.stopped(GoldenTest.P, "off", FakeConfig.of()));

    private Result run(String... args) {
        return GoldenTest.run(new InfoCommand(runtime, "0.1.0"), false, 0, List.of(args));
    }

    @Test
    void aRunningContainerShowsItsStatistics() {
        assertEquals("""
                Name:           web
                State:          RUNNING
                PID:            4242
                CPU use:        1.23 seconds
                BlkIO use:      0 bytes
                Memory use:     3.00 MiB
                """, run("-P", "/tmp/shell-oracle", "-n", "web").out());
        assertEquals("""
                CPU use:        1234567890
                BlkIO use:      0
                Memory use:     3149824
                """, run("-P", "/tmp/shell-oracle", "-n", "web", "-S", "-H").out());
        assertEquals("PID:            4242\n", run("-P", "/tmp/shell-oracle", "-n", "web", "-p").out());
    }

    @Test
    void aStoppedContainerShowsNone() {
        assertEquals("Name:           off\nState:          STOPPED\n", run("-P", "/tmp/shell-oracle", "-n", "off").out());
    }

    @Test
    void sizesAreHumanizedAsLxcDoes() {
        assertEquals("7 bytes", InfoCommand.sizeHumanize(7));
        assertEquals("1024 bytes", InfoCommand.sizeHumanize(1024));
        assertEquals("1.50 KiB", InfoCommand.sizeHumanize(1536));
        assertEquals("64.00 MiB", InfoCommand.sizeHumanize(64L << 20));
        assertEquals("1024.00 MiB", InfoCommand.sizeHumanize(1L << 30));
        // LXC divides the remainder by 10737419, a hair above 2^30/100: half a GiB prints as .49
        assertEquals("2.49 GiB", InfoCommand.sizeHumanize((5L << 30) / 2));
    }
}
