package org.lxj.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.lxj.shell.internal.cli.BadArgumentException;

/**
 * The {@code -s KEY=VALUE} options of {@code lxc-start} and {@code lxc-execute}, collected in command-line order.
 * A key given twice keeps its first place and its last value, as the runtime applies each key once.
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
            overrides.put(key, define.substring(eq + 1).trim());
        }
        return overrides;
    }
}
