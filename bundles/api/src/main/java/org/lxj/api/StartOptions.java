package org.lxj.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code lxc-start} asks for.
 *
 * @param configFile  use this config file instead of the container's ({@code -f})
 * @param overrides   {@code -s KEY=VALUE} entries, applied after the config file in order; a key given several
 *                    times holds its values one per line, each applied as a config line
 * @param pidFile     write init's pid there ({@code -p})
 * @param closeAllFds close inherited fds instead of refusing them ({@code -C})
 * @param share       namespaces to share: {@code net|ipc|uts|pid} → a container name or pid ({@code --share-*})
 * @param command     the command to run instead of {@code lxc.init.cmd}; empty for the configured one
 * @param foreground  stay attached ({@code -F}); the runtime still returns once init runs
 * @since 1.2
 */
public record StartOptions(Optional<Path> configFile, Map<String, String> overrides, Optional<Path> pidFile,
        boolean closeAllFds, Map<String, String> share, List<String> command, boolean foreground) {

    public static final StartOptions DEFAULT = new StartOptions(Optional.empty(), Map.of(), Optional.empty(), false,
            Map.of(), List.of(), false);

    public StartOptions {
        overrides = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(overrides));
        share = Map.copyOf(share);
        command = List.copyOf(command);
    }
}
