package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.api.LxjException;

/**
 * What a clone, snapshot or restore under way has mounted outside its own directory: the source's rootfs. It lies
 * in the new container's directory while that is {@code partial}, so that when the command is killed the sweeper
 * of the leftover can unmount the source again (mounts inside the directory it finds in the mount table).
 *
 * @param rootfs      the source's {@code lxc.rootfs.path}
 * @param mountTarget where it is mounted for the operation
 * @param source      the source container
 */
record CloneJournal(String rootfs, Path mountTarget, Bookkeeping.Pair source) {
    /** The file's name in the new container's directory. */
    static final String FILE = "partial.source";

    void write(Path dir) {
        String text = rootfs + "\n" + mountTarget + "\n" + source.lxcpath() + "\n" + source.name() + "\n";
        try {
            Files.writeString(dir.resolve(FILE), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LxjException("Failed to write \"" + dir.resolve(FILE) + "\": " + e, e);
        }
    }

    /** The journal in {@code dir}; empty when there is none or it was cut short by the kill. */
    static Optional<CloneJournal> read(Path dir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(FILE), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new LxjException("Failed to read \"" + dir.resolve(FILE) + "\": " + e, e);
        }
        if (lines.size() != 4 || lines.stream().anyMatch(String::isEmpty)) {
            return Optional.empty();
        }
        return Optional.of(new CloneJournal(lines.get(0), Path.of(lines.get(1)),
                new Bookkeeping.Pair(Path.of(lines.get(2)), lines.get(3))));
    }

    static void remove(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(FILE));
        } catch (IOException e) {
            throw new LxjException("Failed to remove \"" + dir.resolve(FILE) + "\": " + e, e);
        }
    }
}
