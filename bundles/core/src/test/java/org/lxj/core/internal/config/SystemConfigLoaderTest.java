package org.lxj.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.api.config.SystemConfig;

class SystemConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void missingFileGivesDefaults() {
        assertEquals(SystemConfig.defaults(), new SystemConfigLoader().load(dir.resolve("lxj.conf")));
    }

    @Test
    void readsEveryKey() throws IOException {
        Path f = dir.resolve("lxj.conf");
        Files.writeString(f, """
                # system config
                lxc.lxcpath = /srv/containers/
                lxc.default_config = /etc/lxj/default.conf
                lxc.bdev.lvm.vg = vg0
                lxc.bdev.lvm.thin_pool = thin
                lxc.bdev.zfs.root = tank/lxc
                lxc.cgroup.use = memory,pids
                lxc.cgroup.pattern = lxj/%n
                """);
        SystemConfig c = new SystemConfigLoader().load(f);
        assertEquals(new SystemConfig(Path.of("/srv/containers"), Optional.of(Path.of("/etc/lxj/default.conf")),
                "vg0", "thin", "tank/lxc", "memory,pids", "lxj/%n", Optional.of(f)), c);
        Files.writeString(f, "lxc.bdev.lvm.vg = x\nlxc.bdev.lvm.vg =\n");
        assertEquals(SystemConfig.DEFAULT_LVM_VG, new SystemConfigLoader().load(f).lvmVg());
    }

    @Test
    void errorsNameFileAndLine() throws IOException {
        Path f = dir.resolve("lxj.conf");
        String[][] cases = {
            {"lxc.uts.name = x", "lxc.uts.name"},
            {"lxc.lxcpath = relative", "lxc.lxcpath"},
            {"lxc.cgroup.pattern = /abs/%n", "lxc.cgroup.pattern"},
            {"lxc.bdev.zfs.root = two words", "lxc.bdev.zfs.root"},
            {"garbage", null},
        };
        for (String[] c : cases) {
            Files.writeString(f, "# c\n" + c[0] + "\n");
            ConfigException e = assertThrows(ConfigException.class, () -> new SystemConfigLoader().load(f), c[0]);
            assertEquals(Optional.of(f), e.file());
            assertEquals(2, e.line());
            assertEquals(Optional.ofNullable(c[1]), e.key());
        }
    }
}
