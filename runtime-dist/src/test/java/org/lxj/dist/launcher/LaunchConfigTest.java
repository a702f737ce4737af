package org.lxj.dist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchConfigTest {
    private static final String SYSTEM_KEY = "lxj.test.launchconfig";

    @TempDir
    Path home;

    @AfterEach
    void clearSystemProperty() {
        System.clearProperty(SYSTEM_KEY);
    }

    private LaunchConfig load(String properties) throws IOException, LaunchException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/framework.properties"), properties);
        return LaunchConfig.load(home);
    }

    @Test
    void startLevelsByNamePrefixAndDefault() throws Exception {
        LaunchConfig c = load("""
                lxj.startlevel.org.apache.aries.spifly.dynamic.bundle=1
                lxj.startlevel.org.objectweb.asm*=1
                lxj.startlevel.org.objectweb.asm.util=4
                lxj.startlevel.default=2
                lxj.startlevel.shell=5
                """);
        assertEquals(1, c.startLevel("org.apache.aries.spifly.dynamic.bundle"));
        assertEquals(1, c.startLevel("org.objectweb.asm.tree.analysis"));
        assertEquals(4, c.startLevel("org.objectweb.asm.util"), "an exact entry beats a prefix");
        assertEquals(2, c.startLevel("org.lxj.core"));
        assertEquals(5, c.startLevel(LaunchConfig.SHELL_BSN));
        assertEquals(4, c.runtimeLevel());
        assertEquals(5, c.shellLevel());
    }

    @Test
    void shellLevelIsNeverBelowTheRuntimeLevel() throws Exception {
        LaunchConfig c = load("lxj.startlevel.default=3\nlxj.startlevel.shell=2\n");
        assertEquals(3, c.shellLevel());
    }

    @Test
    void substitutesHomeAndSetsSystemProperties() throws Exception {
        LaunchConfig c = load("system." + SYSTEM_KEY + "=${lxj.home}/conf/x\nlxj.conf=${lxj.home}/conf/lxj.conf\n");
        assertEquals(home + "/conf/x", System.getProperty(SYSTEM_KEY));
        assertEquals(home + "/conf/lxj.conf", c.frameworkProperties().get("lxj.conf"));
        assertEquals(home.resolve("bundle"), c.bundleDir());
    }

    @Test
    void commandLineSystemPropertyWins() throws Exception {
        System.setProperty(SYSTEM_KEY, "given");
        load("system." + SYSTEM_KEY + "=from-file\n");
        assertEquals("given", System.getProperty(SYSTEM_KEY));
    }

    @Test
    void invalidStartLevelIsRejectedWithItsKey() {
        LaunchException e = assertThrows(LaunchException.class, () -> load("lxj.startlevel.org.x=zero\n"));
        assertTrue(e.getMessage().contains("\"zero\"") && e.getMessage().contains("lxj.startlevel.org.x"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        LaunchException e = assertThrows(LaunchException.class, () -> LaunchConfig.load(home));
        assertTrue(e.getMessage().startsWith("Failed to read \"" + home.resolve("conf/framework.properties")), e.getMessage());
    }
}
