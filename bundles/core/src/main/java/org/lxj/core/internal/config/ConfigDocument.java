package org.lxj.core.internal.config;

import java.nio.file.Path;

/** A config file as lines, kept with comments and order, for rewriting. (Contract for core.) */
public final class ConfigDocument {

    /** Reads a file's lines (no include expansion). */
    public static ConfigDocument load(Path file) {
        throw new UnsupportedOperationException("pending");
    }

    /** A document with no lines. */
    public static ConfigDocument empty() {
        throw new UnsupportedOperationException("pending");
    }

    /** Appends a {@code key = value} line. */
    public void append(String key, String value) {
        throw new UnsupportedOperationException("pending");
    }

    /** Appends a comment line ({@code # text}), or an empty line for an empty text. */
    public void appendComment(String text) {
        throw new UnsupportedOperationException("pending");
    }

    /** Replaces the last line of a scalar key in place, or appends it. */
    public void set(String key, String value) {
        throw new UnsupportedOperationException("pending");
    }

    /** Removes every line of {@code key}. */
    public void remove(String key) {
        throw new UnsupportedOperationException("pending");
    }

    /** The text, exactly as it would be saved. */
    public String render() {
        throw new UnsupportedOperationException("pending");
    }

    /** Writes atomically (temp file in the same directory, fsync, rename). */
    public void save(Path file) {
        throw new UnsupportedOperationException("pending");
    }
}
