package org.lxj.linux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the host's kernel interfaces are: {@code /} in production, a temp tree in tests. Reads with
 * {@link InputStream#readAllBytes()} because procfs files report size 0 and {@code Files.readString}
 * is unreliable on them.
 *
 * @param root the host's root; {@code proc}, {@code sys}, {@code boot}, {@code lib/modules} hang below
 */
record HostPaths(Path root) {

    static HostPaths live() {
        return new HostPaths(Path.of("/"));
    }

    /** {@code abs} ({@code /proc/self/mountinfo}) below {@link #root()}. */
    Path resolve(String abs) {
        return root.resolve(abs.startsWith("/") ? abs.substring(1) : abs);
    }

    /** The file's content, empty when it does not exist or cannot be read. */
    Optional<String> read(String abs) {
        Path p = resolve(abs);
        try (InputStream in = Files.newInputStream(p)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether it exists (following symlinks, as {@code test -e}; {@code /proc/self/ns/*} are magic links). */
    boolean exists(String abs) {
        return Files.exists(resolve(abs)) || Files.exists(resolve(abs), LinkOption.NOFOLLOW_LINKS);
    }
}
