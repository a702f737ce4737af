package org.lxj.core.internal.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneDeviceRemoverTest {
    @TempDir
    Path tmp;

    @Test
    void removesATreeWithoutFollowingSymlinks() throws IOException {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("keep"), "x");
        Path root = Files.createDirectories(tmp.resolve("c1/rootfs/etc"));
        Files.writeString(root.resolve("hostname"), "c1");
        Files.createSymbolicLink(tmp.resolve("c1/rootfs/host"), outside);
        Files.createSymbolicLink(tmp.resolve("c1/rootfs/etc/keep"), outside.resolve("keep"));
        Files.createSymbolicLink(tmp.resolve("c1/dangling"), tmp.resolve("nowhere"));

        new OneDeviceRemover().remove(tmp.resolve("c1"));

        assertFalse(Files.exists(tmp.resolve("c1")));
        assertEquals("x", Files.readString(outside.resolve("keep")));
    }

    @Test
    void keepsTheChildrenItIsToldToKeep() throws IOException {
        Path c = Files.createDirectories(tmp.resolve("c1/rootfs"));
        Files.writeString(tmp.resolve("c1/partial"), "");
        Files.writeString(tmp.resolve("c1/config"), "");
        new OneDeviceRemover().removeContents(tmp.resolve("c1"), p -> p.getFileName().toString().equals("partial"));
        assertFalse(Files.exists(c));
        assertFalse(Files.exists(tmp.resolve("c1/config")));
        assertTrue(Files.exists(tmp.resolve("c1/partial")));
    }

    @Test
    void aMissingTreeIsNotAnError() {
        new OneDeviceRemover().remove(tmp.resolve("gone"));
    }
}
