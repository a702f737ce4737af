package org.lxj.core.internal.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/** A parsed, validated configuration: the effective entries in file order, includes expanded. */
final class ParsedConfig implements ContainerConfig {
    private final Optional<Path> source;
    private final List<ConfigEntry> entries;

    ParsedConfig(Optional<Path> source, List<ConfigEntry> entries) {
        this.source = source;
        this.entries = List.copyOf(entries);
    }

    @Override
    public Optional<Path> source() {
        return source;
    }

    @Override
    public List<ConfigEntry> entries() {
        return entries;
    }

    @Override
    public List<String> values(String key) {
        return entries.stream().filter(e -> e.key().equals(key)).map(ConfigEntry::value).toList();
    }

    /**
     * What {@code get_config_item} returns for the key, byte for byte: list keys end each value with a
     * newline where LXC does, unset numeric keys print LXC's default. Callers print it as {@code lxc-info -c}
     * does: {@code KEY =} followed by {@code " " + value} when present.
     */
    @Override
    public Optional<String> item(String key) {
        String text = ConfigItems.item(this, key);
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    /** The NIC indices that have at least one entry, ascending. */
    SortedSet<Integer> nicIndices() {
        SortedSet<Integer> out = new TreeSet<>();
        for (ConfigEntry e : entries) {
            int n = nicIndex(e.key());
            if (n >= 0) {
                out.add(n);
            }
        }
        return out;
    }

    /** The NIC type of index n (its last {@code type} value), or empty. */
    String nicType(int n) {
        List<String> t = values("lxc.net." + n + ".type");
        return t.isEmpty() ? "" : t.get(t.size() - 1);
    }

    /** The index of a {@code lxc.net.N.*} key, or -1. */
    static int nicIndex(String key) {
        if (!key.startsWith("lxc.net.")) {
            return -1;
        }
        int start = "lxc.net.".length();
        int end = key.indexOf('.', start);
        String idx = end < 0 ? key.substring(start) : key.substring(start, end);
        return Numbers.isDigits(idx) && idx.length() <= 4 ? Integer.parseInt(idx) : -1;
    }
}
