package org.lxj.core.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.spi.launch.ConsoleSpec;

/** The console and tty keys read into a ConsoleSpec with LXC's rules. */
class ConsoleKeysTest {
    static ContainerConfig config(String text) {
        return new ConfigParser().parse(text, Path.of("/var/lib/lxc/c1/config"));
    }

    @Test
    void noKeysGiveAPtyConsoleWithoutTtysLogOrBuffer() {
        ConsoleSpec c = ConsoleKeys.start(config(""));
        assertEquals(new ConsoleSpec(ConsoleSpec.Console.PTY, 0, "", 0, Optional.empty(), 0, 0, 0, 0, false), c);
    }

    @Test
    void everyKeyIsRead() {
        ConsoleSpec c = ConsoleKeys.start(config("""
                lxc.tty.max = 4
                lxc.tty.dir = lxc
                lxc.pty.max = 1024
                lxc.console.logfile = /var/log/c1.console
                lxc.console.size = 1MB
                lxc.console.rotate = 1
                lxc.console.buffer.size = auto
                """));
        assertEquals(new ConsoleSpec(ConsoleSpec.Console.PTY, 4, "lxc", 1024, Optional.of(Path.of("/var/log/c1.console")),
                128 * 1024, 0, 0, 1 << 20, true), c);
    }

    @Test
    void sizesFollowLxc() {
        assertEquals(128 * 1024, ConsoleKeys.start(config("lxc.console.size = auto\n")).logSize());
        assertEquals(4096, ConsoleKeys.start(config("lxc.console.size = 10\n")).logSize());
        assertEquals(0, ConsoleKeys.start(config("lxc.console.size = 0\n")).logSize());
        assertEquals(64 * 1024, ConsoleKeys.start(config("lxc.console.buffer.size = 64kb\n")).bufferSize());
        assertEquals(2L << 30, ConsoleKeys.start(config("lxc.console.size = 2G\n")).logSize());
        assertFalse(ConsoleKeys.start(config("lxc.console.rotate = 0\n")).logRotate());
    }

    @Test
    void noneDisablesTheConsoleButKeepsTtys() {
        ConsoleSpec c = ConsoleKeys.start(config("lxc.console.path = none\nlxc.tty.max = 2\n"));
        assertEquals(ConsoleSpec.Console.NONE, c.console());
        assertEquals(2, c.ttys());
    }

    @Test
    void aHostDeviceIsRefusedByKeyValueAndPlace() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> ConsoleKeys.start(config("lxc.console.path = /dev/tty5\n")));
        assertEquals("Config key \"lxc.console.path\" value \"/dev/tty5\" (/var/lib/lxc/c1/config:1): expected a pty "
                + "(leave the key unset) or none; a host device as console is not supported by LXJ", e.getMessage());
    }

    @Test
    void aTooLargeBufferIsRefused() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> ConsoleKeys.start(config("lxc.console.buffer.size = 4G\n")));
        assertTrue(e.getMessage().startsWith("Config key \"lxc.console.buffer.size\" value \"4G\""), e.getMessage());
    }

    @Test
    void executeKeepsTheCallersStdio() {
        assertEquals(ConsoleSpec.Console.INHERIT, ConsoleKeys.execute().console());
    }
}
