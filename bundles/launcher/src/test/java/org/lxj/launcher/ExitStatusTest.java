package org.lxj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class ExitStatusTest {
    @Test
    void parsesTheMonitorsLine() {
        ExitStatus s = ExitStatus.parse("exit=42 signal=0 time=1764321000.000000123\n");
        assertEquals(42, s.code());
        assertEquals(0, s.signal());
        assertEquals(Instant.ofEpochSecond(1764321000L, 123), s.time());
    }

    @Test
    void parsesASignalledExit() {
        ExitStatus s = ExitStatus.parse("exit=-1 signal=9 time=5.000000000");
        assertEquals(-1, s.code());
        assertEquals(9, s.signal());
    }

    @Test
    void refusesMalformedLines() {
        assertThrows(IllegalArgumentException.class, () -> ExitStatus.parse("exit=1"));
        assertThrows(IllegalArgumentException.class, () -> ExitStatus.parse("garbage"));
        assertThrows(IllegalArgumentException.class, () -> ExitStatus.parse("exit=x signal=0 time=1.0"));
    }
}
