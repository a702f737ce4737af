package org.lxj.api.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@code lxc-update-config} did to a configuration file: the keys it renamed from pre-2.1 spellings
 * to current ones, and where it kept the original.
 *
 * @param file    the file that was updated
 * @param backup  the copy of the original ({@code <file>.backup}), when one was written
 * @param changes the rewritten lines in file order; empty when the file needed no change
 * @since 1.1
 */
public record ConfigUpdate(Path file, Optional<Path> backup, List<Change> changes) {

    /**
     * One rewritten line.
     *
     * @param line   its 1-based line number
     * @param before the line as it was
     * @param after  the line as it is now
     */
    public record Change(int line, String before, String after) {
        public Change {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
        }
    }

    public ConfigUpdate {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(backup, "backup");
        changes = List.copyOf(changes);
    }
}
