package org.lxj.dist.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameworkCacheTest {

    @TempDir
    Path tmp;

    @Test
    void onlyCachesOfRuntimesThatAreGoneAreStale() throws IOException {
        Path dead = Files.createDirectory(tmp.resolve("lxj-felix-4242-123"));
        Files.createDirectory(tmp.resolve("lxj-felix-77-456"));
        Files.createDirectory(tmp.resolve("lxj-felix-18157541115577001920"));
        Files.createDirectory(tmp.resolve("lxj-felix-x1-9"));
        Files.createFile(tmp.resolve("lxj-felix-4243-file"));
        Files.createDirectory(tmp.resolve("other-4242-1"));
        assertEquals(List.of(dead), FrameworkBoot.staleCaches(tmp, pid -> pid == 77));
    }
}
