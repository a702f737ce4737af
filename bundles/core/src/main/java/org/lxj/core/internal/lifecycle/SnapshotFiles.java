package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.LxjException;
import org.lxj.api.SnapshotInfo;
import org.lxj.core.internal.layout.LxcLayout;

/**
 * LXC's on-disk snapshot layout: {@code <container>/snaps/snapN/{config,rootfs,ts,comment}}. {@code ts} holds the
 * local time as {@code %Y:%m:%d %H:%M:%S} without a newline; {@code comment} is a copy of the {@code -c} file.
 */
final class SnapshotFiles {
    static final String TS = "ts";
    static final String COMMENT = "comment";
    static final String PREFIX = "snap";
    static final DateTimeFormatter TS_FORMAT = DateTimeFormatter.ofPattern("yyyy:MM:dd HH:mm:ss");

    private SnapshotFiles() {
    }

    /** The first {@code snapN} not taken in {@code snaps}, counting from 0, as LXC picks it. */
    static String nextName(Path snaps) {
        for (int i = 0;; i++) {
            if (!Files.exists(snaps.resolve(PREFIX + i))) {
                return PREFIX + i;
            }
        }
    }

    /** {@code ts} as LXC writes it. */
    static String timestamp(LocalDateTime now) {
        return TS_FORMAT.format(now);
    }

    /** The listed snapshots of the container whose {@code snaps} directory is given: defined ones, by name. */
    static List<SnapshotInfo> list(Path snaps) {
        List<SnapshotInfo> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(snaps)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (new LxcLayout(snaps, name).isDefined()) {
                    out.add(new SnapshotInfo(name, snaps, read(d.resolve(TS)).orElse(""), read(d.resolve(COMMENT))));
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new LxjException("Failed to read directory \"" + snaps + "\": " + e, e);
        }
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return List.copyOf(out);
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new LxjException("Failed to read \"" + file + "\": " + e, e);
        }
    }
}
