package org.lxj.core.internal.hook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.spi.launch.Hook;

class HookFileTest {
    @TempDir
    Path dir;

    @Test
    void hooksRoundTripWithSpacesAndEmptyFields() throws IOException {
        List<Hook> hooks = List.of(
                new Hook(Hook.Stage.POST_STOP, List.of("/bin/sh", "-c", "exec a b \"$@\"", "a b", "c1", "", "x y"),
                        List.of("LXC_NAME=c1", "EMPTY=")),
                new Hook(Hook.Stage.POST_STOP, List.of("/h/two"), List.of()));
        Path f = dir.resolve(HookFile.NAME);
        HookFile.write(f, hooks);
        assertEquals(hooks, HookFile.read(f));
    }

    @Test
    void noHooksNoFileAndAMissingFileIsNone() throws IOException {
        Path f = dir.resolve(HookFile.NAME);
        HookFile.write(f, List.of());
        assertFalse(Files.exists(f));
        assertEquals(List.of(), HookFile.read(f));
    }

    @Test
    void malformedFilesAreRefused() throws IOException {
        Path f = dir.resolve(HookFile.NAME);
        Files.writeString(f, "post-stop\0" + "3\0/x\0");
        assertThrows(IOException.class, () -> HookFile.read(f));
        Files.writeString(f, "post-stop\0" + "1\0/x\0");
        assertThrows(IOException.class, () -> HookFile.read(f));
        Files.writeString(f, "nope\0" + "1\0/x\0" + "0\0");
        assertThrows(IOException.class, () -> HookFile.read(f));
    }
}
