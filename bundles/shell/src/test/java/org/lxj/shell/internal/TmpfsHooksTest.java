package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lxc-copy -e -t}: the hook lines and scripts that put an ephemeral overlay clone's upper on a tmpfs. */
class TmpfsHooksTest {
    @TempDir
    Path tmp;

    @Test
    void scriptsMountTheTmpfsBeforeTheRootfsAndDetachItAfterTheRun() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("it's"));
        TmpfsHooks h = TmpfsHooks.of(dir, "e1", false, CopyCommand.RandomSuffix.INSTANCE);

        h.write();

        assertEquals(List.of("lxc.hook.pre-start = " + h.preStart(), "lxc.hook.post-stop = " + h.postStop()),
                h.configLines());
        assertTrue(h.preStart().getFileName().toString().matches("pre-start-[A-Za-z0-9]{6}"));
        String o = "'" + tmp + "/it'\\''s/overlay'";
        assertEquals("#!/bin/sh\n# lxc-copy -t: the changes of e1 live on a tmpfs, lost when it stops\n"
                + "mountpoint -q " + o + " || mount -n -t tmpfs -o mode=0755 none " + o + " || exit 1\n"
                + "mkdir -p '" + tmp + "/it'\\''s/overlay/delta/etc' '" + tmp + "/it'\\''s/overlay/work' || exit 1\n"
                + "echo 'e1' > '" + tmp + "/it'\\''s/overlay/delta/etc/hostname'\n", Files.readString(h.preStart()));
        assertEquals("#!/bin/sh\n# lxc-copy -t: the tmpfs of e1 goes with its run\n! mountpoint -q " + o
                + " || umount -n -l " + o + "\n", Files.readString(h.postStop()));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(h.preStart())));
    }

    @Test
    void keptNamesAreNotWrittenAndOnlyAnOverlayCloneQualifies() throws Exception {
        TmpfsHooks h = TmpfsHooks.of(tmp, "e2", true, CopyCommand.RandomSuffix.INSTANCE);
        h.write();
        assertFalse(Files.readString(h.preStart()).contains("hostname"));
        assertTrue(h.layersOver("overlay:/var/lib/lxc/c1/rootfs:" + tmp.resolve("overlay/delta")));
        assertFalse(h.layersOver("dir:" + tmp.resolve("rootfs")));
        assertFalse(h.layersOver(""));
    }
}
