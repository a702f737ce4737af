package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/**
 * A minimal reading of {@code key = value} lines without includes or validation, so lifecycle tests do not
 * depend on the real parser's rules (those are tested with the parser, and through RuntimeComponent).
 */
final class LinesConfig implements ContainerConfig {
    private final Path source;
    private final List<ConfigEntry> entries;

    private LinesConfig(Path source, List<ConfigEntry> entries) {
        this.source = source;
        this.entries = entries;
    }

    static ContainerConfig parse(Path file) {
        List<ConfigEntry> entries = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i).trim();
                int eq = l.indexOf('=');
                if (l.isEmpty() || l.startsWith("#") || eq < 0) {
                    continue;
                }
                String key = l.substring(0, eq).trim();
                entries.add(new ConfigEntry(key, l.substring(eq + 1).trim(), file, i + 1, key));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new LinesConfig(file, List.copyOf(entries));
    }

    @Override
    public Optional<Path> source() {
        return Optional.of(source);
    }

    @Override
    public List<ConfigEntry> entries() {
        return entries;
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
