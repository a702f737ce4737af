package org.lxj.core.internal.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.lxj.api.LxjException;

class LxcLayoutTest {

    @Test
    void pathsFollowLxcsLayout() {
        LxcLayout l = new LxcLayout(Path.of("/var/lib/lxj/./x/.."), "web");
        assertEquals(Path.of("/var/lib/lxj/web"), l.dir());
        assertEquals(Path.of("/var/lib/lxj/web/config"), l.config());
        assertEquals(Path.of("/var/lib/lxj/web/rootfs"), l.rootfs());
        assertEquals(Path.of("/var/lib/lxj/web/snaps"), l.snaps());
        assertEquals(Path.of("/var/lib/lxj/web/lxc_snapshots"), l.lxcSnapshots());
        assertEquals(Path.of("/var/lib/lxj/web/lxc_rdepends"), l.lxcRdepends());
        assertEquals(Path.of("/var/lib/lxj/web/partial"), l.partial());
    }

    @Test
    void namesAreCheckedAsLxcDoes() {
        assertEquals("Invalid container name \"\": a name must not be empty",
                assertThrows(LxjException.class, () -> LxcLayout.validateName("")).getMessage());
        assertEquals("Invalid container name \"..\": a name must not be \".\" or \"..\"",
                assertThrows(LxjException.class, () -> LxcLayout.validateName("..")).getMessage());
        assertThrows(LxjException.class, () -> LxcLayout.validateName("."));
        assertEquals("Invalid container name \"a/b\": a name must not contain \"/\"",
                assertThrows(LxjException.class, () -> LxcLayout.validateName("a/b")).getMessage());
        assertEquals("Invalid container name \"a\\nb\": a name must not contain a newline or NUL",
                assertThrows(LxjException.class, () -> LxcLayout.validateName("a\nb")).getMessage());
        assertThrows(LxjException.class, () -> LxcLayout.validateName(null));
        for (String ok : new String[] {"web", "web-1", "a.b", "...", ".hidden", "snap0", "ü"}) {
            assertEquals(ok, LxcLayout.validateName(ok));
        }
    }
}
