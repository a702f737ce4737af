package org.lxj.namespace.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/** Reads keys from a container's configuration and reports bad values with the file and line they came from. */
final class ConfigValues {

    private final ContainerConfig config;

    ConfigValues(ContainerConfig config) {
        this.config = config;
    }

    /** The values of {@code key} in order, blank ones (a clearing line a caller left in) skipped. */
    List<String> values(String key) {
        return config.values(key).stream().filter(v -> !v.isBlank()).toList();
    }

    /** The last non-blank value of {@code key}. */
    Optional<String> value(String key) {
        List<String> v = values(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    boolean isSet(String key) {
        return !values(key).isEmpty();
    }

    /** Every entry in file order whose key starts with {@code prefix}. */
    List<ConfigEntry> withPrefix(String prefix) {
        return config.entries().stream().filter(e -> e.key().startsWith(prefix)).toList();
    }

    /** The line of the last entry of {@code key}, or 0 when none is known. */
    int lineOf(String key) {
        return last(key).map(ConfigEntry::line).orElse(0);
    }

    /**
     * A {@link ConfigException} for {@code key = value}, located at the entry that holds that value (the last
     * one of the key when none matches exactly).
     */
    ConfigException invalid(String key, String value, String reason) {
        Optional<ConfigEntry> at = config.entries().stream()
                .filter(e -> e.key().equals(key) && e.value().equals(value))
                .reduce((a, b) -> b).or(() -> last(key));
        Path file = at.map(ConfigEntry::file).orElse(config.source().orElse(null));
        int line = at.map(ConfigEntry::line).orElse(0);
        return new ConfigException(file, line, key, value, reason);
    }

    private Optional<ConfigEntry> last(String key) {
        return config.entries().stream().filter(e -> e.key().equals(key)).reduce((a, b) -> b);
    }
}
