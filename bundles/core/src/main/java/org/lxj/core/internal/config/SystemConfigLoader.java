package org.lxj.core.internal.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.api.ConfigException;
import org.lxj.api.config.SystemConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads conf/lxj.conf, LXC's {@code lxc.system.conf(5)} keys: {@code lxc.lxcpath},
 * {@code lxc.default_config}, {@code lxc.bdev.lvm.vg}, {@code lxc.bdev.lvm.thin_pool},
 * {@code lxc.bdev.zfs.root}, {@code lxc.cgroup.use}, {@code lxc.cgroup.pattern}. An empty value restores
 * the default; any other key or line is an error naming file and line.
 */
public final class SystemConfigLoader {
    private static final Logger LOG = LoggerFactory.getLogger(SystemConfigLoader.class);
    static final List<String> KEYS = List.of("lxc.lxcpath", "lxc.default_config", "lxc.bdev.lvm.vg",
            "lxc.bdev.lvm.thin_pool", "lxc.bdev.zfs.root", "lxc.cgroup.use", "lxc.cgroup.pattern");

    /** Loads a system config file; a missing file yields the defaults. */
    public SystemConfig load(Path file) {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            LOG.debug("No system config \"{}\", using the defaults", file);
            return SystemConfig.defaults();
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, null, "Failed to read system config \"" + file + "\": "
                    + e.getMessage());
        }
        SystemConfig d = SystemConfig.defaults();
        Path lxcpath = d.lxcpath();
        Optional<Path> defaultConfig = d.defaultConfig();
        String vg = d.lvmVg();
        String thin = d.lvmThinPool();
        String zfs = d.zfsRoot();
        String use = d.cgroupUse();
        String pattern = d.cgroupPattern();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            LineSyntax.Split s = LineSyntax.split(lines[i]);
            if (s.kind() == LineSyntax.Kind.BLANK || s.kind() == LineSyntax.Kind.COMMENT) {
                continue;
            }
            String raw = LineSyntax.strip(lines[i]);
            if (s.kind() != LineSyntax.Kind.ENTRY) {
                throw new ConfigException(file, lineNo, null, raw, "Invalid line \"" + raw
                        + "\": expected \"key = value\" with a key of lxc.system.conf(5)");
            }
            String key = s.key();
            String value = s.value();
            if (!KEYS.contains(key)) {
                throw new ConfigException(file, lineNo, key, value, "Unsupported config key \"" + key
                        + "\": expected one of " + String.join(", ", KEYS));
            }
            if (value.indexOf('\0') >= 0 || value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
                throw new ConfigException(file, lineNo, key, value, "Invalid control character in value");
            }
            boolean reset = value.isEmpty();
            switch (key) {
                case "lxc.lxcpath" -> lxcpath = reset ? d.lxcpath() : absolute(file, lineNo, key, value);
                case "lxc.default_config" -> defaultConfig = reset ? Optional.empty()
                        : Optional.of(absolute(file, lineNo, key, value));
                case "lxc.bdev.lvm.vg" -> vg = reset ? d.lvmVg() : word(file, lineNo, key, value);
                case "lxc.bdev.lvm.thin_pool" -> thin = reset ? d.lvmThinPool() : word(file, lineNo, key, value);
                case "lxc.bdev.zfs.root" -> zfs = reset ? d.zfsRoot() : word(file, lineNo, key, value);
                case "lxc.cgroup.use" -> use = reset ? d.cgroupUse() : word(file, lineNo, key, value);
                default -> pattern = reset ? d.cgroupPattern() : pattern(file, lineNo, key, value);
            }
        }
        return new SystemConfig(lxcpath, defaultConfig, vg, thin, zfs, use, pattern, Optional.of(file));
    }

    private static Path absolute(Path file, int line, String key, String value) {
        if (!value.startsWith("/")) {
            throw new ConfigException(file, line, key, value, "Invalid path \"" + value + "\": expected an absolute path");
        }
        return Path.of(value).normalize();
    }

    private static String word(Path file, int line, String key, String value) {
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new ConfigException(file, line, key, value, "Invalid value \"" + value + "\": expected one word");
        }
        return value;
    }

    private static String pattern(Path file, int line, String key, String value) {
        word(file, line, key, value);
        if (value.startsWith("/") || List.of(value.split("/")).contains("..")) {
            throw new ConfigException(file, line, key, value, "Invalid cgroup pattern \"" + value
                    + "\": expected a relative cgroup path such as lxc.payload.%n");
        }
        return value;
    }
}
