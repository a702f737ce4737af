package org.lxj.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFilesTest {
    @TempDir
    Path snaps;

    @Test
    void timestampIsLxcsFormat() {
        assertEquals("2026:11:28 23:26:02", SnapshotFiles.timestamp(LocalDateTime.of(2026, 11, 28, 23, 26, 2)));
    }

    @Test
    void theNextNameIsTheFirstFreeIndex() throws IOException {
        assertEquals("snap0", SnapshotFiles.nextName(snaps));
        Files.createDirectory(snaps.resolve("snap0"));
        Files.createDirectory(snaps.resolve("snap2"));
        assertEquals("snap1", SnapshotFiles.nextName(snaps));
    }

    @Test
    void listingTakesDefinedSnapshotsByNameWithTheirFiles() throws IOException {
        for (String s : new String[] {"snap1", "snap0", "snap2"}) {
            Path d = Files.createDirectory(snaps.resolve(s));
            Files.writeString(d.resolve("config"), "");
            Files.writeString(d.resolve("ts"), "2026:11:28 23:26:22");
        }
        Files.writeString(snaps.resolve("snap1/comment"), "hello\n");
        Files.writeString(snaps.resolve("snap2/partial"), "");
        var list = SnapshotFiles.list(snaps);
        assertEquals(2, list.size());
        assertEquals("snap0", list.get(0).name());
        assertEquals("2026:11:28 23:26:22", list.get(0).timestamp());
        assertEquals(java.util.Optional.of("hello\n"), list.get(1).comment());
        assertEquals(java.util.List.of(), SnapshotFiles.list(snaps.resolve("none")));
    }
}
