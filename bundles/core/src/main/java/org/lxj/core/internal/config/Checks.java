package org.lxj.core.internal.config;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The validators of the key table: one per value type LXC knows. */
final class Checks {
    /** Namespace names in LXC's order ({@code /proc/PID/ns} names). */
    static final List<String> NAMESPACES = List.of("mnt", "pid", "uts", "ipc", "user", "net", "cgroup", "time");
    static final List<String> NET_TYPES = List.of("none", "empty", "veth", "vlan", "macvlan", "ipvlan", "phys");
    static final Set<String> PRLIMITS = Set.of("as", "core", "cpu", "data", "fsize", "locks", "memlock",
            "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack");
    static final Set<String> SYSLOG_FACILITIES = Set.of("auth", "authpriv", "cron", "daemon", "ftp", "kern",
            "lpr", "mail", "news", "syslog", "user", "uucp", "local0", "local1", "local2", "local3", "local4",
            "local5", "local6", "local7");
    static final List<String> LOG_LEVELS = List.of("TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "CRIT",
            "ALERT", "FATAL");
    static final Set<String> ARCH_32 = Set.of("arm", "armel", "armhf", "armv7l", "athlon", "i386", "i486", "i586",
            "i686", "linux32", "mips", "mipsel", "ppc", "powerpc", "x86");
    static final Set<String> ARCH_64 = Set.of("aarch64", "amd64", "arm64", "linux64", "mips64", "mips64el",
            "ppc64", "ppc64el", "ppc64le", "powerpc64", "riscv64", "s390x", "x86_64");

    private static final Pattern IFNAME = Pattern.compile("[^\\s/:]{1,15}");
    private static final Pattern HWADDR = Pattern.compile("([0-9a-fA-FxX]{2}:){5}[0-9a-fA-FxX]{2}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]+");
    private static final Pattern ENV_NAME = Pattern.compile("[^=\\s]+");
    private static final Pattern DEVICE_RULE =
            Pattern.compile("a|[abc]( (\\d+|\\*):(\\d+|\\*))?( [rwm]{1,3})?");
    private static final Pattern TIME_OFFSET = Pattern.compile("-?\\d{1,18}(h|m|s|ms|us|ns)");
    private static final Pattern CONTROLLER_FILE = Pattern.compile("[A-Za-z0-9_]+(\\.[A-Za-z0-9_\\-]+)+");

    private Checks() {
    }

    static ValueCheck bool() {
        return (k, v) -> {
            if (!v.equals("0") && !v.equals("1")) {
                throw new InvalidValueException("Invalid value \"" + v + "\": expected 0 or 1");
            }
        };
    }

    static ValueCheck uint(long min, long max, String what) {
        return (k, v) -> Numbers.range(v, min, max, what);
    }

    static ValueCheck intRange(long min, long max, String what) {
        return (k, v) -> {
            long n = Numbers.parseSigned(v, what + " (" + min + ".." + max + ")");
            if (n < min || n > max) {
                throw new InvalidValueException("Number " + v + " is out of range: expected " + what + " (" + min
                        + ".." + max + ")");
            }
        };
    }

    static ValueCheck oneOf(String what, String... allowed) {
        List<String> list = List.of(allowed);
        return (k, v) -> {
            if (!list.contains(v)) {
                throw new InvalidValueException("Invalid " + what + " \"" + v + "\": expected one of "
                        + String.join(", ", list));
            }
        };
    }

    /** Free text: anything but control characters. */
    static ValueCheck text() {
        return (k, v) -> {
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c < 0x20 && c != '\t') {
                    throw new InvalidValueException("Invalid control character 0x" + Integer.toHexString(c)
                            + " in value: expected printable text");
                }
            }
        };
    }

    /** A single word: no blanks. */
    static ValueCheck word(String what) {
        return (k, v) -> {
            text().check(k, v);
            for (int i = 0; i < v.length(); i++) {
                if (Character.isWhitespace(v.charAt(i))) {
                    throw new InvalidValueException("Invalid " + what + " \"" + v + "\": expected one word without blanks");
                }
            }
        };
    }

    static ValueCheck absolutePath(String what) {
        return (k, v) -> {
            text().check(k, v);
            if (!v.startsWith("/")) {
                throw new InvalidValueException("Invalid " + what + " \"" + v + "\": expected an absolute path");
            }
        };
    }

    static ValueCheck relativePath(String what) {
        return (k, v) -> {
            word(what).check(k, v);
            if (v.startsWith("/") || List.of(v.split("/")).contains("..")) {
                throw new InvalidValueException("Invalid " + what + " \"" + v
                        + "\": expected a relative path without \"..\"");
            }
        };
    }

    static ValueCheck signal(boolean allowZero) {
        return (k, v) -> Signals.parse(v, allowZero);
    }

    static ValueCheck caps(boolean keep) {
        return (k, v) -> {
            for (String token : v.trim().split("\\s+")) {
                if (token.equals("none")) {
                    if (!keep) {
                        throw new InvalidValueException("The \"none\" keyword is only valid for lxc.cap.keep");
                    }
                    continue;
                }
                Capabilities.parse(token);
            }
        };
    }

    static ValueCheck namespaces() {
        return (k, v) -> {
            for (String token : v.trim().split("\\s+")) {
                if (!NAMESPACES.contains(token)) {
                    throw new InvalidValueException("Invalid namespace name \"" + token + "\": expected "
                            + String.join(", ", NAMESPACES));
                }
            }
        };
    }

    static ValueCheck logLevel() {
        return (k, v) -> logLevelIndex(v);
    }

    static int logLevelIndex(String v) throws InvalidValueException {
        if (Numbers.isDigits(v)) {
            return (int) Numbers.range(v, 0, LOG_LEVELS.size() - 1, "a log level number");
        }
        String upper = v.toUpperCase(java.util.Locale.ROOT);
        int i = LOG_LEVELS.indexOf(upper.equals("WARNING") ? "WARN" : upper);
        if (i < 0) {
            throw new InvalidValueException("Invalid log level \"" + v + "\": expected 0..8 or one of "
                    + String.join(", ", LOG_LEVELS));
        }
        return i;
    }

    static ValueCheck arch() {
        return (k, v) -> {
            if (!ARCH_32.contains(v) && !ARCH_64.contains(v)) {
                throw new InvalidValueException("Invalid architecture \"" + v
                        + "\": expected a name such as x86_64, amd64, i686, x86, arm64, armhf, ppc64le, s390x");
            }
        };
    }

    /** {@code auto} or a byte size. */
    static ValueCheck sizeOrAuto() {
        return (k, v) -> {
            if (!v.equals("auto")) {
                Numbers.byteSize(v);
            }
        };
    }

    static ValueCheck timeOffset() {
        return (k, v) -> {
            if (!TIME_OFFSET.matcher(v).matches()) {
                throw new InvalidValueException("Invalid time offset \"" + v
                        + "\": expected an integer with a unit h, m, s, ms, us or ns (e.g. 10s)");
            }
        };
    }

    static ValueCheck ifName(String what) {
        return (k, v) -> {
            if (!IFNAME.matcher(v).matches()) {
                throw new InvalidValueException("Invalid " + what + " \"" + v
                        + "\": expected an interface name of 1..15 characters without blanks, '/' or ':'");
            }
        };
    }

    static ValueCheck hwaddr() {
        return (k, v) -> {
            if (!HWADDR.matcher(v).matches()) {
                throw new InvalidValueException("Invalid MAC address \"" + v
                        + "\": expected six hex octets like 00:16:3e:xx:xx:xx (x = random nibble)");
            }
        };
    }

    /** {@code a.b.c.d[/prefix][ broadcast]}. */
    static ValueCheck ipv4Address() {
        return (k, v) -> {
            String[] parts = v.trim().split("\\s+");
            if (parts.length > 2) {
                throw new InvalidValueException("Invalid IPv4 address \"" + v
                        + "\": expected ADDRESS[/PREFIX] [BROADCAST]");
            }
            ipv4WithPrefix(parts[0], 32);
            if (parts.length == 2) {
                ipv4(parts[1]);
            }
        };
    }

    static ValueCheck ipv6Address() {
        return (k, v) -> ipv6WithPrefix(v, false);
    }

    static ValueCheck ipv4Route() {
        return (k, v) -> {
            if (!v.contains("/")) {
                throw new InvalidValueException("Invalid IPv4 route \"" + v + "\": expected ADDRESS/PREFIX");
            }
            ipv4WithPrefix(v, 32);
        };
    }

    static ValueCheck ipv6Route() {
        return (k, v) -> ipv6WithPrefix(v, true);
    }

    static ValueCheck gateway(boolean v6) {
        return (k, v) -> {
            if (v.equals("auto") || v.equals("dev")) {
                return;
            }
            if (v6) {
                ipv6(v);
            } else {
                ipv4(v);
            }
        };
    }

    static void ipv4WithPrefix(String v, int maxPrefix) throws InvalidValueException {
        int slash = v.indexOf('/');
        if (slash >= 0) {
            Numbers.range(v.substring(slash + 1), 0, maxPrefix, "an IPv4 prefix length");
            ipv4(v.substring(0, slash));
        } else {
            ipv4(v);
        }
    }

    static void ipv4(String v) throws InvalidValueException {
        var m = IPV4.matcher(v);
        boolean ok = m.matches();
        for (int i = 1; ok && i <= 4; i++) {
            ok = Integer.parseInt(m.group(i)) <= 255;
        }
        if (!ok) {
            throw new InvalidValueException("Invalid IPv4 address \"" + v + "\": expected a.b.c.d with 0..255");
        }
    }

    static void ipv6WithPrefix(String v, boolean prefixRequired) throws InvalidValueException {
        int slash = v.indexOf('/');
        if (slash >= 0) {
            Numbers.range(v.substring(slash + 1), 0, 128, "an IPv6 prefix length");
            ipv6(v.substring(0, slash));
        } else if (prefixRequired) {
            throw new InvalidValueException("Invalid IPv6 route \"" + v + "\": expected ADDRESS/PREFIX");
        } else {
            ipv6(v);
        }
    }

    static void ipv6(String v) throws InvalidValueException {
        // Only hex digits, ':' and '.' reach InetAddress, so it parses a literal and never resolves a name.
        boolean ok = v.contains(":") && IPV6_CHARS.matcher(v).matches() && v.length() <= 45;
        if (ok) {
            try {
                ok = java.net.InetAddress.getByName(v) instanceof java.net.Inet6Address
                        || java.net.InetAddress.getByName(v).getAddress().length == 4;
            } catch (java.net.UnknownHostException | RuntimeException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new InvalidValueException("Invalid IPv6 address \"" + v + "\": expected an address such as fd00::1");
        }
    }

    /** {@code u|g NSID HOSTID RANGE}. */
    static ValueCheck idmap() {
        return (k, v) -> {
            String[] f = v.trim().split("\\s+");
            String expected = "expected \"u|g NSID HOSTID RANGE\" (e.g. u 0 100000 65536)";
            if (f.length != 4 || !(f[0].equals("u") || f[0].equals("g"))) {
                throw new InvalidValueException("Invalid id mapping \"" + v + "\": " + expected);
            }
            long max = 0xFFFFFFFFL;
            long ns = Numbers.range(f[1], 0, max - 1, "a namespace id");
            long host = Numbers.range(f[2], 0, max - 1, "a host id");
            long range = Numbers.range(f[3], 1, max, "a range length");
            if (ns + range > max || host + range > max) {
                throw new InvalidValueException("Invalid id mapping \"" + v + "\": the range overflows 32-bit ids");
            }
        };
    }

    /** An fstab line: {@code SPEC TARGET TYPE [OPTIONS [FREQ [PASSNO]]]}. */
    static ValueCheck mountEntry() {
        return (k, v) -> {
            text().check(k, v);
            String[] f = v.trim().split("[ \\t]+");
            if (f.length < 3 || f.length > 6) {
                throw new InvalidValueException("Invalid mount entry \"" + v
                        + "\": expected fstab fields SPEC TARGET TYPE [OPTIONS [FREQ [PASSNO]]]");
            }
            if (f.length >= 5) {
                Numbers.parseInt(f[4], "the dump frequency (fifth fstab field)");
            }
            if (f.length == 6) {
                Numbers.parseInt(f[5], "the fsck pass number (sixth fstab field)");
            }
            if (f.length >= 4) {
                for (String opt : f[3].split(",")) {
                    if (opt.startsWith("create=") && !opt.equals("create=dir") && !opt.equals("create=file")) {
                        throw new InvalidValueException("Invalid mount option \"" + opt
                                + "\": expected create=dir or create=file");
                    }
                }
            }
        };
    }

    /** {@code lxc.mount.auto} tokens. */
    static ValueCheck mountAuto() {
        return (k, v) -> {
            for (String token : v.trim().split("\\s+")) {
                if (!MountAuto.valid(token)) {
                    throw new InvalidValueException("Invalid filesystem to automount \"" + token
                            + "\": expected proc[:mixed|:rw], sys[:mixed|:ro|:rw], cgroup[:mixed|:ro|:rw][:force], "
                            + "cgroup-full[:mixed|:ro|:rw][:force] or shmounts:HOST[:CONTAINER]");
                }
            }
        };
    }

    /** {@code soft[:hard]}, each a number or {@code unlimited}. */
    static ValueCheck prlimit() {
        return (k, v) -> {
            String name = k.substring("lxc.prlimit.".length());
            if (!PRLIMITS.contains(name)) {
                throw new InvalidValueException("Unknown resource limit \"" + name + "\": expected one of "
                        + String.join(", ", new java.util.TreeSet<>(PRLIMITS)));
            }
            String[] parts = v.split(":", -1);
            if (parts.length > 2) {
                throw new InvalidValueException("Invalid resource limit \"" + v
                        + "\": expected SOFT[:HARD], each a number or unlimited");
            }
            for (String p : parts) {
                if (!p.equals("unlimited")) {
                    Numbers.parseUnsigned(p, "a number or unlimited");
                }
            }
        };
    }

    /** {@code lxc.cgroup.*} and {@code lxc.cgroup2.*}: free-form {@code controller.file}; device rules checked. */
    static ValueCheck cgroupSetting(String prefix) {
        return (k, v) -> {
            String sub = k.substring(prefix.length());
            if (!CONTROLLER_FILE.matcher(sub).matches()) {
                throw new InvalidValueException("Invalid cgroup setting \"" + sub
                        + "\": expected CONTROLLER.FILE such as memory.max");
            }
            text().check(k, v);
            if (sub.equals("devices.allow") || sub.equals("devices.deny")) {
                if (!DEVICE_RULE.matcher(v).matches()) {
                    throw new InvalidValueException("Invalid device rule \"" + v
                            + "\": expected a, or TYPE MAJOR:MINOR ACCESS such as c 1:3 rwm");
                }
            }
        };
    }

    static ValueCheck subkeyed(String prefix, String what, ValueCheck values) {
        return (k, v) -> {
            String sub = k.substring(prefix.length());
            if (sub.isEmpty() || sub.startsWith(".") || sub.endsWith(".") || sub.contains("..")
                    || !sub.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')) {
                throw new InvalidValueException("Invalid " + what + " name \"" + sub + "\"");
            }
            values.check(k, v);
        };
    }

    static ValueCheck environment() {
        return (k, v) -> {
            text().check(k, v);
            int eq = v.indexOf('=');
            String name = eq < 0 ? v : v.substring(0, eq);
            if (!ENV_NAME.matcher(name).matches()) {
                throw new InvalidValueException("Invalid environment variable \"" + v
                        + "\": expected NAME=VALUE or NAME to pass the variable through");
            }
        };
    }

    static ValueCheck gidList() {
        return (k, v) -> {
            for (String g : v.split(",", -1)) {
                Numbers.range(g.trim(), 0, 0xFFFFFFFEL, "a comma-separated list of group ids");
            }
        };
    }

    static ValueCheck syslogFacility() {
        return (k, v) -> {
            if (!SYSLOG_FACILITIES.contains(v)) {
                throw new InvalidValueException("Invalid syslog facility \"" + v + "\": expected one of "
                        + String.join(", ", new java.util.TreeSet<>(SYSLOG_FACILITIES)));
            }
        };
    }

    static ValueCheck notifyProxy() {
        return (k, v) -> {
            if (!v.startsWith("unix:") || v.length() == "unix:".length()) {
                throw new InvalidValueException("Invalid seccomp notify proxy \"" + v
                        + "\": expected unix:/path or unix:@abstract");
            }
        };
    }

    static ValueCheck consolePath() {
        return (k, v) -> {
            if (!v.equals("none")) {
                absolutePath("console path").check(k, v);
            }
        };
    }

    static ValueCheck vlanIdOrNone() {
        return (k, v) -> {
            if (!v.equals("none")) {
                Numbers.range(v, 0, 4094, "a VLAN id or none");
            }
        };
    }

    static ValueCheck namespaceShare() {
        return (k, v) -> {
            String ns = k.substring("lxc.namespace.share.".length());
            if (!NAMESPACES.contains(ns)) {
                throw new InvalidValueException("Invalid namespace \"" + ns + "\": expected one of "
                        + String.join(", ", NAMESPACES));
            }
            word("namespace owner").check(k, v);
        };
    }

    static ValueCheck apparmorProfile() {
        return word("AppArmor profile");
    }

    static ValueCheck rootfsPath() {
        return (k, v) -> {
            text().check(k, v);
            int colon = v.indexOf(':');
            if (!v.startsWith("/") && (colon <= 0 || v.length() == colon + 1)) {
                throw new InvalidValueException("Invalid rootfs path \"" + v
                        + "\": expected an absolute path or TYPE:SOURCE such as dir:/var/lib/lxc/c1/rootfs");
            }
        };
    }

    static ValueCheck utsName() {
        return (k, v) -> {
            word("hostname").check(k, v);
            if (v.length() > 64) {
                throw new InvalidValueException("Hostname \"" + v + "\" is too long: expected at most 64 characters");
            }
        };
    }

    static ValueCheck netFlags() {
        return oneOf("network flag", "up");
    }
}
