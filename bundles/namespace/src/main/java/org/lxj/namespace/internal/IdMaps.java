package org.lxj.namespace.internal;

import java.util.ArrayList;
import java.util.List;

import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LaunchPlan;

/** Parses {@code lxc.idmap = u|g NSID HOSTID RANGE} lines into id map steps and checks them as a set. */
final class IdMaps {

    static final String KEY = "lxc.idmap";
    private static final String EXPECTED = "expected \"u|g NSID HOSTID RANGE\" (e.g. u 0 100000 65536)";
    private static final long MAX_ID = 0xFFFF_FFFEL;

    private IdMaps() {
    }

    /** The lines of {@code lxc.idmap} in order; empty when the key is not set. */
    static List<IdMapping> parse(ConfigValues config) {
        List<IdMapping> maps = new ArrayList<>();
        for (String value : config.values(KEY)) {
            IdMapping m = parseLine(config, value);
            for (IdMapping earlier : maps) {
                if (earlier.overlaps(m)) {
                    throw config.invalid(KEY, value, "Invalid " + KEY + " \"" + value + "\": its container ids overlap "
                            + "those of \"" + earlier.kind().letter() + " " + earlier.mapLine() + "\"");
                }
            }
            maps.add(m);
        }
        if (maps.size() > 0) {
            requireKind(config, maps, IdMapping.Kind.UID);
            requireKind(config, maps, IdMapping.Kind.GID);
        }
        return maps;
    }

    private static IdMapping parseLine(ConfigValues config, String value) {
        String[] f = value.trim().split("\\s+");
        if (f.length != 4 || !(f[0].equals("u") || f[0].equals("g"))) {
            throw config.invalid(KEY, value, "Invalid " + KEY + " \"" + value + "\": " + EXPECTED);
        }
        IdMapping.Kind kind = f[0].equals("u") ? IdMapping.Kind.UID : IdMapping.Kind.GID;
        long ns = number(config, value, f[1], "the container id");
        long host = number(config, value, f[2], "the host id");
        long range = number(config, value, f[3], "the range");
        if (range < 1 || ns + range - 1 > MAX_ID || host + range - 1 > MAX_ID) {
            throw config.invalid(KEY, value, "Invalid " + KEY + " \"" + value
                    + "\": expected a range of at least 1 that keeps both ids below " + (MAX_ID + 1));
        }
        return new IdMapping(kind, ns, host, range);
    }

    private static long number(ConfigValues config, String value, String field, String what) {
        if (field.isEmpty() || field.length() > 10 || !field.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw config.invalid(KEY, value, "Invalid " + KEY + " \"" + value + "\": " + what + " \"" + field
                    + "\" is not a number from 0 to " + MAX_ID);
        }
        long n = Long.parseLong(field);
        if (n > MAX_ID) {
            throw config.invalid(KEY, value, "Invalid " + KEY + " \"" + value + "\": " + what + " " + field
                    + " is out of range: expected 0 to " + MAX_ID);
        }
        return n;
    }

    private static void requireKind(ConfigValues config, List<IdMapping> maps, IdMapping.Kind kind) {
        long lines = maps.stream().filter(m -> m.kind() == kind).count();
        String name = kind == IdMapping.Kind.UID ? "uid" : "gid";
        if (lines == 0) {
            String last = config.values(KEY).get(config.values(KEY).size() - 1);
            throw config.invalid(KEY, last, "Invalid " + KEY + ": no \"" + kind.letter() + "\" line: a user namespace "
                    + "needs both a uid and a gid map (e.g. " + kind.letter() + " 0 100000 65536)");
        }
        if (lines > LaunchPlan.MAX_MAP_LINES) {
            String last = config.values(KEY).get(config.values(KEY).size() - 1);
            throw config.invalid(KEY, last, "Invalid " + KEY + ": " + lines + " " + name + " map lines: the kernel "
                    + "allows at most " + LaunchPlan.MAX_MAP_LINES);
        }
    }
}
