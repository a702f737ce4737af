package org.lxj.core.internal.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.LxjException;
import org.lxj.api.config.ConfigUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-update-config -c FILE}: rewrites legacy key names to current ones in place, as LXC's script
 * does, after copying the file to {@code FILE.backup}. Comments, blank lines, order and spacing stay;
 * commented-out legacy keys ({@code #lxc.utsname = x}) are renamed too, like the script's {@code #*}.
 */
public final class ConfigUpdater {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigUpdater.class);

    /**
     * Updates {@code file}; returns the lines it changed or removed (an empty {@code after} for a removal).
     *
     * @throws org.lxj.api.ConfigException when the file cannot be read
     * @throws LxjException when the backup or the new file cannot be written
     */
    public ConfigUpdate update(Path file) {
        ConfigDocument doc = ConfigDocument.load(file);
        Path backup = file.resolveSibling(file.getFileName() + ".backup");
        try {
            Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new LxjException("Failed to write backup \"" + backup + "\": " + e.getMessage(), e);
        }
        List<ConfigUpdate.Change> changes = rewrite(doc);
        doc.save(file);
        LOG.info("Updated config \"{}\": {} line(s) changed, backup in \"{}\"", file, changes.size(), backup);
        return new ConfigUpdate(file, Optional.of(backup), changes);
    }

    /** Rewrites a document's legacy keys; returns the lines changed or removed, numbered as in the original. */
    static List<ConfigUpdate.Change> rewrite(ConfigDocument doc) {
        List<ConfigDocument.Line> lines = doc.lines();
        String driver = backendDriver(lines);
        List<ConfigUpdate.Change> changed = new ArrayList<>();
        int removed = 0;
        int nic = -1;
        int maxNic = maxNicIndex(lines);
        for (int i = 0; i < lines.size(); i++) {
            ConfigDocument.Line line = lines.get(i);
            Located loc = locate(line.text());
            if (loc == null) {
                continue;
            }
            String key = loc.key;
            if (LegacyKeys.DROPPED.contains(key)) {
                changed.add(new ConfigUpdate.Change(i + 1 + removed, line.text(), ""));
                lines.remove(i--);
                removed++;
                continue;
            }
            String newKey = null;
            String newValue = null;
            Optional<String> renamed = LegacyKeys.rename(key);
            if (renamed.isPresent()) {
                newKey = renamed.get();
                if (key.equals("lxc.rootfs") && !loc.value.isEmpty() && !loc.value.startsWith(driver + ":")) {
                    newValue = driver + ":" + loc.value;
                }
            } else {
                Optional<LegacyKeys.NetworkKey> net = LegacyKeys.network(key);
                if (net.isPresent()) {
                    int index = net.get().index();
                    if (index < 0) {
                        if (net.get().sub().equals("type")) {
                            nic = Math.max(nic, maxNic) + 1;
                        }
                        index = Math.max(nic, 0);
                    }
                    String sub = net.get().sub();
                    newKey = "lxc.net." + index + (sub.isEmpty() ? "" : "." + sub);
                }
            }
            if (newKey != null) {
                String text = line.text();
                String head = text.substring(0, loc.keyStart) + ConfigDocument.bytes(newKey);
                String tail = text.substring(loc.keyStart + key.length());
                if (newValue != null) {
                    tail = tail.substring(0, tail.indexOf('=') + 1) + " " + newValue;
                }
                lines.set(i, new ConfigDocument.Line(head + tail, line.eol()));
                changed.add(new ConfigUpdate.Change(i + 1 + removed, line.text(), head + tail));
            }
        }
        return changed;
    }

    private static String backendDriver(List<ConfigDocument.Line> lines) {
        String driver = "dir";
        for (ConfigDocument.Line l : lines) {
            Located loc = locate(l.text());
            if (loc != null && loc.key.equals("lxc.rootfs.backend") && !loc.commented && !loc.value.isEmpty()) {
                driver = loc.value;
            }
        }
        return driver;
    }

    private static int maxNicIndex(List<ConfigDocument.Line> lines) {
        int max = -1;
        for (ConfigDocument.Line l : lines) {
            Located loc = locate(l.text());
            if (loc != null && !loc.commented) {
                max = Math.max(max, ParsedConfig.nicIndex(loc.key));
            }
        }
        return max;
    }

    /** Where the key of a (possibly commented-out) {@code key = value} line is. */
    private record Located(String key, String value, int keyStart, boolean commented) {
    }

    private static Located locate(String text) {
        int i = 0;
        while (i < text.length() && LineSyntax.isSpace(text.charAt(i))) {
            i++;
        }
        boolean commented = false;
        while (i < text.length() && text.charAt(i) == '#') {
            i++;
            commented = true;
        }
        int eq = text.indexOf('=', i);
        if (eq < 0 || !text.startsWith("lxc.", i)) {
            return null;
        }
        String key = LineSyntax.strip(text.substring(i, eq));
        if (key.isEmpty() || key.chars().anyMatch(c -> LineSyntax.isSpace((char) c))) {
            return null;
        }
        return new Located(key, LineSyntax.strip(text.substring(eq + 1)), i, commented);
    }
}
