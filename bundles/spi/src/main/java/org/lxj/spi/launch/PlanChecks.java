package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** The checks the plan's records share; every failure is a {@link PlanValidationException}. */
final class PlanChecks {

    /** The largest id a uid/gid can have; {@code (uid_t) -1} is reserved. */
    static final long MAX_ID = 0xFFFF_FFFEL;

    private PlanChecks() {
    }

    /** A string the launcher can pass to the kernel: no NUL byte. */
    static String text(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.indexOf('\0') >= 0) {
            throw new PlanValidationException(field, value, "contains a NUL byte");
        }
        return value;
    }

    /** A non-empty {@link #text}. */
    static String nonEmpty(String field, String value) {
        text(field, value);
        if (value.isEmpty()) {
            throw new PlanValidationException(field, value, "must not be empty");
        }
        return value;
    }

    /**
     * An absolute, normalized path without NUL: no {@code .} or {@code ..} components, so that resolving it
     * inside the rootfs cannot walk upwards by name.
     */
    static Path absolute(String field, Path path) {
        Objects.requireNonNull(path, field);
        String s = text(field, path.toString());
        if (!path.isAbsolute()) {
            throw new PlanValidationException(field, s, "not an absolute path");
        }
        for (Path part : path) {
            String name = part.toString();
            if (name.equals("..") || name.equals(".")) {
                throw new PlanValidationException(field, s, "contains a \"" + name + "\" component");
            }
        }
        return path;
    }

    /** Every element of a list is {@link #absolute}; returns an immutable copy. */
    static List<Path> absolutes(String field, List<Path> paths) {
        List<Path> copy = List.copyOf(paths);
        copy.forEach(p -> absolute(field, p));
        return copy;
    }

    /** Every element of a list is {@link #text}; returns an immutable copy. */
    static List<String> texts(String field, List<String> values) {
        List<String> copy = List.copyOf(values);
        copy.forEach(v -> text(field, v));
        return copy;
    }

    /** A user or group id: 0 to 2^32-2. */
    static long id(String field, long id) {
        if (id < 0 || id > MAX_ID) {
            throw new PlanValidationException(field, Long.toString(id), "must be between 0 and " + MAX_ID);
        }
        return id;
    }

    /** An environment entry: {@code NAME=value}, NAME not empty and without NUL. */
    static String envEntry(String field, String entry) {
        text(field, entry);
        int eq = entry.indexOf('=');
        if (eq <= 0) {
            throw new PlanValidationException(field, entry, "expected NAME=value");
        }
        return entry;
    }
}
