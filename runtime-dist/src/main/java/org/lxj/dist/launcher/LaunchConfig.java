package org.lxj.dist.launcher;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution's {@code conf/framework.properties}: framework properties handed to Felix, system
 * properties (keys prefixed {@value #SYSTEM_PREFIX}) set before the framework starts, and bundle start
 * levels (keys prefixed {@value #STARTLEVEL_PREFIX}, followed by a Bundle-SymbolicName; a trailing
 * {@code *} matches a prefix). {@code ${name}} in values is replaced by a system property, or by an
 * earlier framework property.
 */
final class LaunchConfig {
    static final String SYSTEM_PREFIX = "system.";
    static final String STARTLEVEL_PREFIX = "lxj.startlevel.";
    static final String DEFAULT_LEVEL_KEY = "lxj.startlevel.default";
    static final String SHELL_LEVEL_KEY = "lxj.startlevel.shell";
    static final String SHELL_BSN = "org.apache.felix.gogo.jline";

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]+)}");

    private final Path home;
    private final Map<String, String> framework = new HashMap<>();
    private final Map<String, Integer> levels = new HashMap<>();
    private int defaultLevel = 2;
    private int shellLevel = 3;

    private LaunchConfig(Path home) {
        this.home = home;
    }

    /** Reads {@code <home>/conf/framework.properties} and applies its system properties. */
    static LaunchConfig load(Path home) throws LaunchException {
        System.setProperty("lxj.home", home.toString());
        LaunchConfig config = new LaunchConfig(home);
        Path file = home.resolve("conf/framework.properties");
        Properties raw = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            raw.load(in);
        } catch (IOException e) {
            throw new LaunchException("Failed to read \"" + file + "\": " + e.getMessage(), e);
        }
        for (String key : raw.stringPropertyNames().stream().sorted().toList()) {
            config.accept(file, key, raw.getProperty(key).trim());
        }
        return config;
    }

    private void accept(Path file, String key, String rawValue) throws LaunchException {
        String value = substitute(rawValue);
        if (key.startsWith(SYSTEM_PREFIX)) {
            String name = key.substring(SYSTEM_PREFIX.length());
            if (System.getProperty(name) == null) {     // -D on the command line wins
                System.setProperty(name, value);
            }
        } else if (key.startsWith(STARTLEVEL_PREFIX)) {
            int level = parseLevel(file, key, value);
            if (key.equals(DEFAULT_LEVEL_KEY)) {
                defaultLevel = level;
            } else if (key.equals(SHELL_LEVEL_KEY)) {
                shellLevel = level;
            } else {
                levels.put(key.substring(STARTLEVEL_PREFIX.length()), level);
            }
        } else {
            framework.put(key, value);
        }
    }

    private static int parseLevel(Path file, String key, String value) throws LaunchException {
        try {
            int level = Integer.parseInt(value);
            if (level >= 1) {
                return level;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new LaunchException("Invalid start level \"" + value + "\" for \"" + key + "\" in \"" + file + "\"");
    }

    private String substitute(String value) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String replacement = System.getProperty(name, framework.getOrDefault(name, ""));
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    Path home() {
        return home;
    }

    Path bundleDir() {
        return home.resolve("bundle");
    }

    /** A framework property of {@code conf/framework.properties}, or {@code fallback} when it is not set. */
    String property(String key, String fallback) {
        String value = framework.get(key);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** The framework properties; a fresh copy the caller may extend. */
    Map<String, Object> frameworkProperties() {
        return new HashMap<>(framework);
    }

    /** The start level of a bundle: its own entry, the longest matching prefix entry, or the default. */
    int startLevel(String symbolicName) {
        if (SHELL_BSN.equals(symbolicName)) {
            return shellLevel;
        }
        Integer exact = levels.get(symbolicName);
        if (exact != null) {
            return exact;
        }
        int best = -1;
        int level = defaultLevel;
        for (Map.Entry<String, Integer> e : levels.entrySet()) {
            String k = e.getKey();
            if (k.endsWith("*") && symbolicName.startsWith(k.substring(0, k.length() - 1)) && k.length() > best) {
                best = k.length();
                level = e.getValue();
            }
        }
        return level;
    }

    /** The level at which every bundle but the interactive shell is active. */
    int runtimeLevel() {
        return Math.max(defaultLevel, levels.values().stream().mapToInt(Integer::intValue).max().orElse(1));
    }

    /** The level at which the interactive shell starts; the framework's final level. */
    int shellLevel() {
        return Math.max(shellLevel, runtimeLevel());
    }
}
