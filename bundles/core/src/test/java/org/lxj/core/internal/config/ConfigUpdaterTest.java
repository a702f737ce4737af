package org.lxj.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.api.config.ConfigUpdate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.config.ContainerConfig;

/**
 * {@code lxc-update-config}: compared line by line with what Debian's script wrote for the same file
 * (resource legacy.updated-by-lxc.conf), except two lines where the script differs on
 * grounds (both are script bugs): it leaves {@code lxc.limit.nofile} (its pattern needs a blank after {@code lxc.limit}) and turns
 * {@code lxc.network.0.ipv4} into {@code lxc.net.0.ipv4}; LXC 5 rejects both results.
 */
class ConfigUpdaterTest {
    @TempDir
    Path dir;

    @Test
    void matchesLxcUpdateConfig() throws Exception {
        Path file = dir.resolve("config");
        Files.copy(StockConfigsTest.resource("legacy.conf"), file);
        String original = Files.readString(file);
        int changed = new ConfigUpdater().update(file).changes().size();
        assertEquals(original, Files.readString(dir.resolve("config.backup")));
        List<String> expected = Files.readAllLines(StockConfigsTest.resource("legacy.updated-by-lxc.conf"));
        List<String> actual = Files.readAllLines(file);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            String want = expected.get(i)
                    .replace("lxc.limit.nofile", "lxc.prlimit.nofile")
                    .replace("lxc.net.0.ipv4 =", "lxc.net.0.ipv4.address =");
            assertEquals(want, actual.get(i), "line " + (i + 1));
        }
        assertEquals(19, changed);
        ContainerConfig parsed = new ConfigParser().parse(file);
        assertEquals(parsed.entries().size(), parsed.entries().stream().filter(e -> e.key().equals(e.written())).count());
        assertEquals(0, new ConfigUpdater().update(file).changes().size());
    }

    @Test
    void rootfsTakesTheBackendDriverAndCommentsStay() throws IOException {
        Path file = dir.resolve("config");
        Files.writeString(file, "# keep me\nlxc.rootfs = /dev/vg/c1\nlxc.rootfs.backend = lvm\n\n"
                + "lxc.network.type = veth\nlxc.network.hwaddr = 00:16:3e:xx:xx:xx\n");
        ConfigUpdate update = new ConfigUpdater().update(file);
        assertEquals(List.of(
                new ConfigUpdate.Change(2, "lxc.rootfs = /dev/vg/c1", "lxc.rootfs.path = lvm:/dev/vg/c1"),
                new ConfigUpdate.Change(3, "lxc.rootfs.backend = lvm", ""),
                new ConfigUpdate.Change(5, "lxc.network.type = veth", "lxc.net.0.type = veth"),
                new ConfigUpdate.Change(6, "lxc.network.hwaddr = 00:16:3e:xx:xx:xx", "lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx")),
                update.changes());
        assertEquals(Optional.of(dir.resolve("config.backup")), update.backup());
        assertEquals("# keep me\nlxc.rootfs.path = lvm:/dev/vg/c1\n\nlxc.net.0.type = veth\n"
                + "lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n", Files.readString(file));
    }
}
