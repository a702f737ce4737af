package org.lxj.linux.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.linux.check.CheckLine;
import org.lxj.linux.check.CheckStatus;

/**
 * The security lines of lxc-checkconfig's LXJ section that LXC has no line for: seccomp filter flags, no_new_privs
 * and the capability set of the runtime. Reads only.
 */
final class SecurityProbe {

    /** {@code SECCOMP_FILTER_FLAG_*} names (without the prefix) and the kernel version (major, minor) that added each. */
    private static final List<Flag> FLAGS = List.of(new Flag("tsync", 3, 17), new Flag("log", 4, 14),
            new Flag("spec_allow", 4, 17), new Flag("new_listener", 5, 0), new Flag("tsync_esrch", 5, 7),
            new Flag("wait_killable_recv", 5, 19));

    private record Flag(String name, int major, int minor) {
    }

    private SecurityProbe() {
    }

    /** The filter flags a kernel of {@code release} accepts, oldest first; empty when the release does not parse. */
    static List<String> filterFlags(String release) {
        int[] v = version(release);
        List<String> out = new ArrayList<>();
        for (Flag f : FLAGS) {
            if (v[0] > f.major() || v[0] == f.major() && v[1] >= f.minor()) {
                out.add(f.name());
            }
        }
        return out;
    }

    private static int[] version(String release) {
        String[] parts = release.split("[.-]");
        try {
            return new int[] {Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0};
        } catch (NumberFormatException e) {
            return new int[] {0, 0};
        }
    }

    /** Whether the kernel has {@code PR_SET_NO_NEW_PRIVS}: {@code /proc/self/status} shows {@code NoNewPrivs}. */
    static CheckLine noNewPrivs(Optional<String> status) {
        if (status.isEmpty()) {
            return CheckLine.verdict("no_new_privs", CheckStatus.UNKNOWN, "/proc/self/status is not readable");
        }
        boolean on = field(status.get(), "NoNewPrivs").isPresent();
        return CheckLine.verdict("no_new_privs", on ? CheckStatus.ENABLED : CheckStatus.MISSING,
                "/proc/self/status " + (on ? "has" : "has no") + " NoNewPrivs field");
    }

    /** The highest capability the kernel knows and the runtime's bounding set. */
    static List<CheckLine> capabilities(Optional<String> lastCap, Optional<String> status) {
        List<CheckLine> l = new ArrayList<>();
        String last = lastCap.map(String::trim).orElse("");
        if (last.isEmpty()) {
            l.add(CheckLine.verdict("Capabilities", CheckStatus.UNKNOWN, "/proc/sys/kernel/cap_last_cap is not readable"));
        } else {
            l.add(CheckLine.info("Capabilities", "0-" + last, "/proc/sys/kernel/cap_last_cap"));
        }
        status.flatMap(s -> field(s, "CapBnd")).ifPresent(b ->
                l.add(CheckLine.info("Runtime bounding set", b, "CapBnd in /proc/self/status")));
        return l;
    }

    private static Optional<String> field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return Optional.of(line.substring(name.length() + 1).trim());
            }
        }
        return Optional.empty();
    }
}
