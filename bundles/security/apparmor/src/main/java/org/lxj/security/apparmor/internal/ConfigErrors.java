package org.lxj.security.apparmor.internal;

import java.nio.file.Path;
import java.util.Optional;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/** Builds {@link ConfigException}s located at the entry that holds the bad value. */
final class ConfigErrors {

    private ConfigErrors() {
    }

    static ConfigException invalid(ContainerConfig config, String key, String value, String reason) {
        Optional<ConfigEntry> at = config.entries().stream()
                .filter(e -> e.key().equals(key) && e.value().equals(value))
                .reduce((a, b) -> b).or(() -> last(config, key));
        Path file = at.map(ConfigEntry::file).orElse(config.source().orElse(null));
        int line = at.map(ConfigEntry::line).orElse(0);
        return new ConfigException(file, line, key, value, reason);
    }

    /** The line of the last entry of {@code key}, 0 when unknown. */
    static int lineOf(ContainerConfig config, String key) {
        return last(config, key).map(ConfigEntry::line).orElse(0);
    }

    private static Optional<ConfigEntry> last(ContainerConfig config, String key) {
        return config.entries().stream().filter(e -> e.key().equals(key)).reduce((a, b) -> b);
    }
}
