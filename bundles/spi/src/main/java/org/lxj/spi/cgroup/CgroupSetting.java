package org.lxj.spi.cgroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/**
 * One cgroup file write from the configuration: {@code lxc.cgroup2.memory.max = 512M} is version 2, controller
 * {@code memory}, file {@code memory.max}, value {@code 512M}; {@code lxc.cgroup.cpuset.cpus = 0-1} is
 * version 1. A backend applies the settings of its own version and ignores the others with a warning naming
 * {@link #sourceKey()}, as LXC does on a pure-v2 host.
 *
 * @param version    1 for {@code lxc.cgroup.*}, 2 for {@code lxc.cgroup2.*}
 * @param controller the controller: the file name's part before the first dot ({@code memory})
 * @param file       the file in the cgroup directory ({@code memory.max})
 * @param value      what to write
 * @param sourceKey  the configuration key it came from, for messages
 */
public record CgroupSetting(int version, String controller, String file, String value, String sourceKey) {

    private static final String V1_PREFIX = "lxc.cgroup.";
    private static final String V2_PREFIX = "lxc.cgroup2.";
    /** {@code lxc.cgroup.*} keys that place cgroups rather than set a file. */
    private static final List<String> PLACEMENT_KEYS = List.of("dir", "relative", "pattern", "use");

    public CgroupSetting {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("Invalid cgroup version " + version + ": expected 1 or 2");
        }
        Objects.requireNonNull(controller, "controller");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(sourceKey, "sourceKey");
        if (file.isEmpty() || file.contains("/") || file.equals(".") || file.equals("..")) {
            throw new IllegalArgumentException("Invalid cgroup file \"" + file + "\" in \"" + sourceKey
                    + "\": expected a file name such as memory.max");
        }
    }

    /**
     * The setting a key stands for, or null when the key is not a cgroup file key ({@code lxc.cgroup.dir} and
     * the other placement keys, or any other key).
     *
     * @throws IllegalArgumentException when a cgroup key names no file ({@code lxc.cgroup2.memory})
     */
    public static CgroupSetting of(String key, String value) {
        int version;
        String file;
        if (key.startsWith(V2_PREFIX)) {
            version = 2;
            file = key.substring(V2_PREFIX.length());
        } else if (key.startsWith(V1_PREFIX)) {
            version = 1;
            file = key.substring(V1_PREFIX.length());
            String first = file.contains(".") ? file.substring(0, file.indexOf('.')) : file;
            if (PLACEMENT_KEYS.contains(first)) {
                return null;
            }
        } else {
            return null;
        }
        int dot = file.indexOf('.');
        if (dot <= 0 || dot == file.length() - 1) {
            throw new IllegalArgumentException("Invalid cgroup key \"" + key
                    + "\": expected <controller>.<file>, as in " + V2_PREFIX + "memory.max");
        }
        return new CgroupSetting(version, file.substring(0, dot), file, value, key);
    }

    /**
     * Every cgroup setting of a configuration in file order. An empty-valued key is skipped (for a list key
     * such as {@code devices.allow} the parser has already applied the clearing).
     *
     * @throws org.lxj.api.ConfigException naming file and line of a key that names no file
     */
    public static List<CgroupSetting> fromConfig(ContainerConfig config) {
        List<CgroupSetting> out = new ArrayList<>();
        for (ConfigEntry e : config.entries()) {
            if (e.value().isEmpty()) {
                continue;
            }
            CgroupSetting s;
            try {
                s = of(e.key(), e.value());
            } catch (IllegalArgumentException ex) {
                throw new org.lxj.api.ConfigException(e.file(), e.line(), e.key(), e.value(), ex.getMessage());
            }
            if (s != null) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
