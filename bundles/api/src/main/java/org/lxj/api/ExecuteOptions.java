package org.lxj.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code lxc-execute} asks for.
 *
 * @param command   the command, never empty
 * @param overrides {@code -s KEY=VALUE} entries; a key given several times holds its values one per line, in order,
 *                  each applied as a config line (a list key gets them all, a single-valued key the last)
 * @param uid       run as this uid ({@code -u})
 * @param gid       run as this gid ({@code -g})
 * @param daemonize do not wait ({@code -d})
 * @param configFile use this config file instead of the container's ({@code -f}); the container need not be
 *                  defined then, as with LXC
 * @since 1.2
 */
public record ExecuteOptions(List<String> command, Map<String, String> overrides, OptionalInt uid, OptionalInt gid,
        boolean daemonize, Optional<Path> configFile) {

    /** Options without {@code -f}: the container's own configuration. */
    public ExecuteOptions(List<String> command, Map<String, String> overrides, OptionalInt uid, OptionalInt gid,
            boolean daemonize) {
        this(command, overrides, uid, gid, daemonize, Optional.empty());
    }

    public ExecuteOptions {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("No command given");
        }
        overrides = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(overrides));
        configFile = java.util.Objects.requireNonNull(configFile, "configFile");
    }
}
