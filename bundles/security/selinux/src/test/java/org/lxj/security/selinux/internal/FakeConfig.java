package org.lxj.security.selinux.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/** A configuration over {@code key = value} lines, each at its 1-based line of a fake file. */
final class FakeConfig implements ContainerConfig {

    static final Path FILE = Path.of("/var/lib/lxj/c1/config");

    private final List<ConfigEntry> entries = new ArrayList<>();

    FakeConfig(String... lines) {
        int n = 0;
        for (String line : lines) {
            n++;
            int eq = line.indexOf('=');
            String key = line.substring(0, eq).trim();
            entries.add(new ConfigEntry(key, line.substring(eq + 1).trim(), FILE, n, key));
        }
    }

    @Override
    public Optional<Path> source() {
        return Optional.of(FILE);
    }

    @Override
    public List<ConfigEntry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public Optional<String> item(String key) {
        List<String> v = values(key);
        return v.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", v));
    }

    @Override
    public List<String> values(String key) {
        return entries.stream().filter(e -> e.key().equals(key)).map(ConfigEntry::value).toList();
    }
}
