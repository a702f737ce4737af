package org.lxj.api;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What {@code lxc-execute} asks for.
 *
 * @param command   the command, never empty
 * @param overrides {@code -s KEY=VALUE} entries
 * @param uid       run as this uid ({@code -u})
 * @param gid       run as this gid ({@code -g})
 * @param daemonize do not wait ({@code -d})
 * @since 1.2
 */
public record ExecuteOptions(List<String> command, Map<String, String> overrides, OptionalInt uid, OptionalInt gid,
        boolean daemonize) {
    public ExecuteOptions {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("No command given");
        }
        overrides = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(overrides));
    }
}
