package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.shell.internal.cli.BadArgumentException;

/**
 * The {@code -s KEY=VALUE} options of {@code lxc-start} and {@code lxc-execute}, collected in command-line order.
 * A key given several times keeps its first place and all its values, one per line in command-line order: the
 * runtime applies each as a config line, as LXC sets each item, so a list key ({@code lxc.environment},
 * {@code lxc.mount.entry}) gets every value and a single-valued key the last.
 */
final class Defines {

    private Defines() {
    }

    /** The overrides in order; an entry without {@code =} or with an empty key is malformed, as LXC finds it. */
    static Map<String, String> parse(List<String> defines) throws BadArgumentException {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String define : defines) {
            int eq = define.indexOf('=');
            String key = eq < 0 ? "" : define.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw new BadArgumentException("Invalid definition \"" + define + "\": expected KEY=VALUE");
            }
            String value = define.substring(eq + 1).trim();
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
                throw new BadArgumentException("Invalid definition \"" + key + "\": a value is one line");
            }
            overrides.merge(key, value, (first, more) -> first + "\n" + more);
        }
        return overrides;
    }

    /**
     * {@code -o FILE} and {@code -l LEVEL} of {@code lxc-start} and {@code lxc-execute}: the container's log for this
     * run, taking the place of {@code lxc.log.file} and {@code lxc.log.level} (the config's and any {@code -s}).
     */
    static Map<String, String> withLog(Map<String, String> overrides, Optional<Path> file, Optional<String> level) {
        Map<String, String> all = new LinkedHashMap<>(overrides);
        file.ifPresent(f -> all.put("lxc.log.file", f.toString()));
        level.ifPresent(l -> all.put("lxc.log.level", l.trim()));
        return all;
    }
}
