package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/**
 * A configuration held in memory, answering {@link #item} the way LXC's {@code get_config_item} does:
 * list keys as each value followed by a newline, unknown keys as an error.
 */
final class FakeConfig implements ContainerConfig {

    private static final Set<String> LIST_KEYS = Set.of("lxc.group", "lxc.idmap", "lxc.mount.entry");
    private static final Set<String> KNOWN_KEYS = Set.of("lxc.uts.name", "lxc.tty.max", "lxc.start.auto",
            "lxc.group", "lxc.init.cmd", "lxc.idmap", "lxc.mount.entry", "lxc.rootfs.path", "lxc.net.0.type",
            "lxc.net.0.link", "lxc.net.0.flags", "lxc.apparmor.profile", "lxc.apparmor.allow_nesting",
            "lxc.log.file", "lxc.log.level", "lxc.console.path", "lxc.console.logfile");

    private final List<ConfigEntry> entries = new ArrayList<>();

    /** Whether this fake knows {@code key}, as a runtime knows the keys it implements. */
    static boolean isKnown(String key) {
        return KNOWN_KEYS.contains(key);
    }

    /** {@code keysAndValues}: key, value, key, value, ... */
    static FakeConfig of(String... keysAndValues) {
        FakeConfig config = new FakeConfig();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.entries.add(new ConfigEntry(keysAndValues[i], keysAndValues[i + 1], null, i / 2 + 1,
                    keysAndValues[i]));
        }
        return config;
    }

    @Override
    public Optional<Path> source() {
        return Optional.empty();
    }

    @Override
    public List<ConfigEntry> entries() {
        return List.copyOf(entries);
    }

    @Override
    public Optional<String> item(String key) {
        if (!KNOWN_KEYS.contains(key)) {
            throw new ConfigException(null, 0, key, null, "Unknown configuration key \"" + key + "\"");
        }
        List<String> values = values(key);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (LIST_KEYS.contains(key)) {
            StringBuilder joined = new StringBuilder();
            values.forEach(v -> joined.append(v).append('\n'));
            return Optional.of(joined.toString());
        }
        return Optional.of(values.get(values.size() - 1));
    }

    @Override
    public List<String> values(String key) {
        return entries.stream().filter(e -> e.key().equals(key)).map(ConfigEntry::value).toList();
    }
}
