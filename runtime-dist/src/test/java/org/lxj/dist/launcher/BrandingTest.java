package org.lxj.dist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Branding and the profile name come from conf/framework.properties, with defaults when they are missing. */
class BrandingTest {
    @TempDir
    Path home;

    private LaunchConfig load(String properties) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/framework.properties"), properties);
        return LaunchConfig.load(home);
    }

    @Test
    void versionNamesTheProductAndTheProfile() throws Exception {
        String line = Main.version(load("lxj.product.name=ACME Containers\nlxj.profile=acme\n"));
        assertTrue(line.startsWith("ACME Containers "), line);
        assertTrue(line.endsWith(" (profile acme)"), line);
    }

    @Test
    void missingOrEmptyKeysFallBack() throws Exception {
        LaunchConfig c = load("lxj.product.name=\n");
        assertEquals("LXJ", c.property(Main.PRODUCT_NAME, "LXJ"));
        assertEquals("unknown", c.property(Main.PROFILE, "unknown"));
        assertTrue(Main.version(c).matches("LXJ \\S+ \\(profile unknown\\)"), Main.version(c));
    }

    @Test
    void theShippedConfigurationBrandsLxjAsTheFullProfile() throws Exception {
        Path shipped = Path.of("src/main/dist/conf/framework.properties");
        Files.createDirectories(home.resolve("conf"));
        Files.copy(shipped, home.resolve("conf/framework.properties"));
        LaunchConfig c = LaunchConfig.load(home);
        assertEquals("LXJ", c.property(Main.PRODUCT_NAME, "?"));
        assertEquals("lxj>", c.property("lxj.product.prompt", "?"));
        assertEquals("full", c.property(Main.PROFILE, "?"));
    }
}
