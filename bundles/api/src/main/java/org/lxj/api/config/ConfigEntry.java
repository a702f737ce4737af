package org.lxj.api.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One {@code key = value} line as it was read, with where it came from.
 *
 * @param key   the key as canonical LXC name (a legacy name is translated; the original is in {@code written})
 * @param value the value with surrounding blanks removed; empty for a clearing line
 * @param file  the file it was read from (an included file for included entries)
 * @param line  its 1-based line number
 * @param written the key exactly as the file spells it
 */
public record ConfigEntry(String key, String value, Path file, int line, String written) {
    public ConfigEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(written, "written");
    }
}
