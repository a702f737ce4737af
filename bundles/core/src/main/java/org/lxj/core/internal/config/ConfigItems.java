package org.lxj.core.internal.config;

import java.util.List;
import java.util.stream.Collectors;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;

/**
 * Prints a key as LXC's {@code get_config_item} does (checked against Debian's LXC 5.0.2
 * {@code lxc-info -c KEY}).
 */
final class ConfigItems {
    private static final long CONSOLE_AUTO_SIZE = 128 * 1024;

    private ConfigItems() {
    }

    static String item(ParsedConfig config, String key) {
        KeyTable.Resolved r = KeyTable.resolve(key).orElseThrow(() -> invalid(config, key,
                "Unsupported config key \"" + key + "\""));
        if (r.netIndex() >= 0) {
            checkNic(config, r);
        }
        KeySpec spec = r.spec();
        List<String> values = config.values(key);
        String last = values.isEmpty() ? null : values.get(values.size() - 1);
        try {
            return switch (spec.print()) {
                case INVALID -> throw invalid(config, key, "Key \"" + key + "\" has no value to print");
                case TEXT, FAMILY_LAST -> last == null ? spec.unset() : last;
                case NUMBER -> last == null ? spec.unset() : Long.toString(Numbers.parseSigned(last, "a number"));
                case LINES, FAMILY_LINES -> values.stream().map(v -> v + "\n").collect(Collectors.joining());
                case TOKENS -> values.stream().flatMap(v -> List.of(v.trim().split("\\s+")).stream())
                        .map(v -> v + "\n").collect(Collectors.joining());
                case NAMESPACES -> namespaces(values);
                case JOINED -> joined(r, values);
                case SIGNAL -> last == null ? spec.unset() : Integer.toString(Signals.parse(last, true));
                case LOG_LEVEL -> last == null ? spec.unset() : Checks.LOG_LEVELS.get(Checks.logLevelIndex(last));
                case ARCH -> last == null ? "" : Checks.ARCH_32.contains(last) && isX86(last) ? "i686"
                        : Checks.ARCH_64.contains(last) && isX86(last) ? "x86_64" : last;
                case SIZE -> last == null ? spec.unset() : last.equals("auto") ? Long.toString(CONSOLE_AUTO_SIZE)
                        : Long.toString(Numbers.byteSize(last));
                case TIME_BOOT -> timeOffset(last, " ns");
                case TIME_MONOTONIC -> timeOffset(last, "ns");
                case MOUNT_AUTO -> MountAuto.canonical(values);
                case ROOTFS_PATH -> last == null ? "" : last.startsWith("dir:") ? last.substring(4) : last;
                case FAMILY -> family(config, r);
            };
        } catch (InvalidValueException e) {
            // Values were validated when parsed; a failure here means the table and the printer disagree.
            throw new IllegalStateException("Stored value of \"" + key + "\" does not parse: " + e.getMessage(), e);
        }
    }

    private static boolean isX86(String arch) {
        return List.of("x86", "i386", "i486", "i586", "i686", "athlon", "linux32", "x86_64", "amd64", "linux64")
                .contains(arch);
    }

    private static void checkNic(ParsedConfig config, KeyTable.Resolved r) {
        if (!config.nicIndices().contains(r.netIndex())) {
            throw invalid(config, r.key(), "No network device with index " + r.netIndex());
        }
        if (r.netSub() == null) {
            throw invalid(config, r.key(), "Key \"" + r.key() + "\" has no value to print");
        }
        if (r.onlyType() != null && !r.onlyType().equals(config.nicType(r.netIndex()))) {
            throw invalid(config, r.key(), "Key \"" + r.key() + "\" applies only to network type " + r.onlyType());
        }
    }

    private static String namespaces(List<String> values) {
        StringBuilder sb = new StringBuilder();
        String all = " " + String.join(" ", values).trim().replaceAll("\\s+", " ") + " ";
        for (String ns : Checks.NAMESPACES) {
            if (all.contains(" " + ns + " ")) {
                sb.append(ns).append('\n');
            }
        }
        return sb.toString();
    }

    private static String joined(KeyTable.Resolved r, List<String> values) {
        if ("ipv4.address".equals(r.netSub())) {
            return values.stream().map(ConfigItems::ipv4WithPrefix).collect(Collectors.joining("\n"));
        }
        if ("ipv6.address".equals(r.netSub())) {
            return values.stream().map(v -> v.contains("/") ? v : v + "/64").collect(Collectors.joining("\n"));
        }
        return String.join("\n", values);
    }

    /** {@code a.b.c.d/prefix}, the broadcast dropped, a missing prefix by address class as LXC does. */
    private static String ipv4WithPrefix(String value) {
        String addr = value.trim().split("\\s+")[0];
        if (addr.contains("/")) {
            return addr;
        }
        int first = Integer.parseInt(addr.substring(0, addr.indexOf('.')));
        int prefix = first < 128 ? 8 : first < 192 ? 16 : first < 224 ? 24 : 0;
        return addr + "/" + prefix;
    }

    private static String timeOffset(String value, String nsUnit) throws InvalidValueException {
        if (value == null) {
            return "0" + nsUnit + "\n";
        }
        int i = value.charAt(0) == '-' ? 1 : 0;
        while (i < value.length() && Character.isDigit(value.charAt(i))) {
            i++;
        }
        long n = Numbers.parseSigned(value.substring(0, i), "a time offset");
        return switch (value.substring(i)) {
            case "h" -> n * 3600 + " s\n";
            case "m" -> n * 60 + " s\n";
            case "s" -> n + " s\n";
            case "ms" -> n * 1_000_000 + nsUnit + "\n";
            case "us" -> n * 1_000 + nsUnit + "\n";
            default -> n + nsUnit + "\n";
        };
    }

    private static String family(ParsedConfig config, KeyTable.Resolved r) {
        if (r.key().equals(KeyTable.NET)) {
            return config.nicIndices().stream().map(n -> config.nicType(n) + "\n").collect(Collectors.joining());
        }
        if (r.key().equals("lxc.hook")) {
            throw invalid(config, r.key(), "Key \"lxc.hook\" has no value to print");
        }
        StringBuilder sb = new StringBuilder();
        for (ConfigEntry e : config.entries()) {
            boolean member = KeyTable.resolve(e.key()).map(x -> r.key().equals(x.spec().family())).orElse(false);
            if (member) {
                sb.append(e.key()).append(" = ").append(e.value()).append('\n');
            }
        }
        return sb.toString();
    }

    private static ConfigException invalid(ParsedConfig config, String key, String reason) {
        return new ConfigException(config.source().orElse(null), 0, key, null, reason);
    }
}
