package org.lxj.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CloneConfigTest {
    private static final Path OLD = Path.of("/var/lib/lxc/a1");
    private static final Path NEW = Path.of("/var/lib/lxc/a2");

    @Test
    void rootfsNameMacsAndPathsAreRewrittenCommentsAndOrderKept() {
        List<String> source = List.of("# Template used to create this container", "lxc.rootfs.path = dir:/var/lib/lxc/a1/rootfs",
                "lxc.uts.name = \"a1\"", "lxc.net.0.hwaddr = 00:16:3e:11:22:33", "lxc.mount.fstab = /var/lib/lxc/a1/fstab",
                "lxc.log.file = /var/lib/lxc/a10/log", "  lxc.include = /usr/share/lxc/config/common.conf");
        String out = CloneConfig.rewrite(source, "overlay:/var/lib/lxc/a1/rootfs:/var/lib/lxc/a2/overlay/delta",
                Optional.of("a2"), true, OLD, NEW, List.of("lxc.ephemeral = 1"), () -> "00:16:3e:aa:bb:cc");
        assertEquals("""
                # Template used to create this container
                lxc.rootfs.path = overlay:/var/lib/lxc/a1/rootfs:/var/lib/lxc/a2/overlay/delta
                lxc.uts.name = a2
                lxc.net.0.hwaddr = 00:16:3e:aa:bb:cc
                lxc.mount.fstab = /var/lib/lxc/a2/fstab
                lxc.log.file = /var/lib/lxc/a10/log
                  lxc.include = /usr/share/lxc/config/common.conf
                lxc.ephemeral = 1
                """, out);
    }

    @Test
    void missingRootfsAndNameAreAppendedKeptOnesUntouched() {
        String out = CloneConfig.rewrite(List.of("lxc.net.0.hwaddr = 00:16:3e:11:22:33"), "dir:/x/rootfs",
                Optional.empty(), false, OLD, NEW, List.of());
        assertEquals("lxc.net.0.hwaddr = 00:16:3e:11:22:33\nlxc.rootfs.path = dir:/x/rootfs\n", out);
        assertEquals("lxc.rootfs.path = dir:/x\nlxc.uts.name = b\n",
                CloneConfig.rewrite(List.of(), "dir:/x", Optional.of("b"), true, OLD, NEW, List.of()));
    }

    @Test
    void randomMacsHaveLxcsPrefix() {
        for (int i = 0; i < 50; i++) {
            String mac = CloneConfig.randomMac();
            assertEquals(true, mac.matches("00:16:3e(:[0-9a-f]{2}){3}"), mac);
        }
    }
}
