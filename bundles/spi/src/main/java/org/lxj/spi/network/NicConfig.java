package org.lxj.spi.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/**
 * One network interface of a container: the {@code lxc.net.<index>.*} keys, by subkey, values in file order
 * (several for {@code ipv4.address}, {@code ipv6.address}, {@code veth.ipv4.route}, ...). Shared by every
 * backend; a backend reads the subkeys it knows and rejects unknown ones of its own prefix.
 *
 * @param index      the {@code N} of {@code lxc.net.N}
 * @param type       {@code lxc.net.N.type}
 * @param properties subkeys ({@code link}, {@code ipv4.address}, ...) to their values, in first-seen order
 */
public record NicConfig(int index, String type, Map<String, List<String>> properties) {

    private static final String PREFIX = "lxc.net.";

    public NicConfig {
        Objects.requireNonNull(type, "type");
        Map<String, List<String>> copy = new LinkedHashMap<>();
        properties.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        properties = Collections.unmodifiableMap(copy);
    }

    /** The last value of a subkey, if set. */
    public Optional<String> value(String subkey) {
        List<String> v = properties.getOrDefault(subkey, List.of());
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** All values of a subkey in order. */
    public List<String> values(String subkey) {
        return properties.getOrDefault(subkey, List.of());
    }

    /** {@code link}: the host bridge or parent device. */
    public Optional<String> link() {
        return value("link");
    }

    /** {@code name}: the interface name inside the container. */
    public Optional<String> name() {
        return value("name");
    }

    /** Whether {@code flags} contains {@code up}. */
    public boolean up() {
        return value("flags").map(f -> List.of(f.trim().split("\\s+")).contains("up")).orElse(false);
    }

    /**
     * The interfaces of {@code config}, sorted by index. Each index must have a {@code type}, as LXC requires.
     *
     * @throws ConfigException naming the file and line of a key with a bad index, or of an interface without a
     *                         type
     */
    public static List<NicConfig> fromConfig(ContainerConfig config) {
        Map<Integer, Map<String, List<String>>> byIndex = new TreeMap<>();
        Map<Integer, ConfigEntry> firstEntry = new TreeMap<>();
        for (ConfigEntry e : config.entries()) {
            if (!e.key().startsWith(PREFIX) || e.value().isEmpty()) {
                continue;
            }
            String rest = e.key().substring(PREFIX.length());
            int dot = rest.indexOf('.');
            if (dot <= 0 || dot == rest.length() - 1) {
                throw new ConfigException(e.file(), e.line(), e.key(), e.value(),
                        "Invalid network key \"" + e.key() + "\": expected lxc.net.<index>.<subkey>");
            }
            int index;
            try {
                index = Integer.parseInt(rest.substring(0, dot));
            } catch (NumberFormatException ex) {
                index = -1;
            }
            if (index < 0) {
                throw new ConfigException(e.file(), e.line(), e.key(), e.value(),
                        "Invalid network index in \"" + e.key() + "\": expected a number");
            }
            firstEntry.putIfAbsent(index, e);
            byIndex.computeIfAbsent(index, i -> new LinkedHashMap<>())
                    .computeIfAbsent(rest.substring(dot + 1), k -> new ArrayList<>()).add(e.value());
        }
        List<NicConfig> nics = new ArrayList<>();
        for (Map.Entry<Integer, Map<String, List<String>>> nic : byIndex.entrySet()) {
            List<String> types = nic.getValue().remove("type");
            if (types == null) {
                ConfigEntry e = firstEntry.get(nic.getKey());
                throw new ConfigException(e.file(), e.line(), e.key(), e.value(),
                        "Network interface " + nic.getKey() + " has no lxc.net." + nic.getKey() + ".type");
            }
            nics.add(new NicConfig(nic.getKey(), types.get(types.size() - 1), nic.getValue()));
        }
        return List.copyOf(nics);
    }
}
