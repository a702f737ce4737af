package org.lxj.template.busybox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** A step that finishes before the threshold shows nothing. */
class SlowNoticeTest {

    @Test
    void fastStepPrintsNothing() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream terminal = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try (SlowNotice n = SlowNotice.start("Working", Optional.of(terminal), Duration.ofHours(1))) {
            assertEquals("", buf.toString(StandardCharsets.UTF_8));
        }
        assertEquals("", buf.toString(StandardCharsets.UTF_8));
    }

    @Test
    void noTerminalNoOutput() {
        try (SlowNotice n = SlowNotice.start("Working", Optional.empty(), Duration.ZERO)) {
            assertEquals(SlowNotice.THRESHOLD, Duration.ofSeconds(1));
        }
    }
}
