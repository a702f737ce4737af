package org.lxj.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class MountTableTest {

    @Test
    void mountPointsKeepTheTablesOrderAndUndoTheKernelsEscapes() {
        String text = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
                + "40 22 0:35 / /var/lib/lxj/a\\040b/rootfs rw shared:9 - overlay overlay rw,lowerdir=/x\n"
                + "41 40 0:36 / /var/lib/lxj/a\\040b/rootfs rw - tmpfs none rw\n";
        assertEquals(List.of(Path.of("/"), Path.of("/var/lib/lxj/a b/rootfs"), Path.of("/var/lib/lxj/a b/rootfs")),
                MountTable.mountPoints(text));
    }

    @Test
    void aLineThatIsNoMountinfoLineIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> MountTable.mountPoints("22 1 8:1 / /\n"));
    }
}
