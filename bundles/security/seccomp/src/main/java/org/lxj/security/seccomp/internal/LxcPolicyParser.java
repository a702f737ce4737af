package org.lxj.security.seccomp.internal;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lxj.api.ConfigException;

/**
 * LXC's seccomp policy files ({@code lxc.seccomp.profile}), versions 1 and 2, as {@code seccomp.c} reads them:
 * line 1 the version, line 2 the policy type and its optional default action, then rules, {@code [arch]}
 * sections and {@code #} comments.
 */
final class LxcPolicyParser {

    /** {@code MNT_FORCE}, the flag {@code reject_force_umount} refuses with {@code EACCES}. */
    static final long MNT_FORCE = 1;
    static final int EACCES = 13;
    private static final int MAX_ERRNO = 4095;
    private static final Pattern FILTER = Pattern.compile("\\[([^\\]]*)\\]");
    private static final Map<String, ArgCondition.Op> OPS = Map.ofEntries(
            Map.entry("SCMP_CMP_NE", ArgCondition.Op.NE), Map.entry("!=", ArgCondition.Op.NE),
            Map.entry("SCMP_CMP_LT", ArgCondition.Op.LT), Map.entry("<", ArgCondition.Op.LT),
            Map.entry("SCMP_CMP_LE", ArgCondition.Op.LE), Map.entry("<=", ArgCondition.Op.LE),
            Map.entry("SCMP_CMP_EQ", ArgCondition.Op.EQ), Map.entry("==", ArgCondition.Op.EQ),
            Map.entry("SCMP_CMP_GE", ArgCondition.Op.GE), Map.entry(">=", ArgCondition.Op.GE),
            Map.entry("SCMP_CMP_GT", ArgCondition.Op.GT), Map.entry(">", ArgCondition.Op.GT),
            Map.entry("SCMP_CMP_MASKED_EQ", ArgCondition.Op.MASKED_EQ), Map.entry("&=", ArgCondition.Op.MASKED_EQ));

    private final Optional<Path> source;

    private LxcPolicyParser(Optional<Path> source) {
        this.source = source;
    }

    static Policy parse(String text, Optional<Path> source) {
        return new LxcPolicyParser(source).parse(text.split("\n", -1));
    }

    private Policy parse(String[] lines) {
        String version = lines[0].trim();
        if (lines.length < 2 || lines[1].isBlank()) {
            throw error(1, version, "Invalid seccomp policy: expected the version on line 1 and the policy type "
                    + "on line 2");
        }
        return switch (version) {
            case "1" -> v1(lines);
            case "2" -> v2(lines);
            default -> throw error(1, version, "Invalid seccomp policy version \"" + version + "\": expected 1 or 2");
        };
    }

    private Policy v1(String[] lines) {
        String type = stripComment(lines[1]).trim();
        if (!type.equals("allowlist") && !type.equals("whitelist")) {
            throw error(2, type, "Invalid seccomp policy type \"" + type + "\": version 1 supports only allowlist");
        }
        List<Rule> rules = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            String line = stripComment(lines[i]).trim();
            if (line.isEmpty()) {
                continue;
            }
            int nr;
            try {
                nr = Integer.parseInt(line);
            } catch (NumberFormatException e) {
                throw error(i + 1, line, "Invalid seccomp rule \"" + line + "\": version 1 takes syscall numbers");
            }
            if (nr < 0) {
                throw error(i + 1, line, "Invalid syscall number \"" + line + "\"");
            }
            rules.add(new Rule(line, OptionalInt.of(nr), Action.ALLOW, List.of(), Optional.empty(), i + 1));
        }
        return new Policy(Action.KILL_PROCESS, rules, Set.of(), Set.of(), "LXC v1");
    }

    private Policy v2(String[] lines) {
        String header = stripComment(lines[1]).trim();
        String[] words = header.split("\\s+", 2);
        boolean allowlist = switch (words[0]) {
            case "allowlist", "whitelist" -> true;
            case "denylist", "blacklist" -> false;
            default -> throw error(2, header, "Invalid seccomp policy type \"" + words[0]
                    + "\": expected allowlist or denylist");
        };
        Optional<Action> given = Optional.empty();
        if (words.length > 1) {
            if (words[1].trim().equals("debug")) {
                throw error(2, header, "Invalid seccomp policy type \"" + header + "\": debug is not implemented");
            }
            given = Optional.of(action(words[1].trim(), 2));
        }
        // an allowlist's action is the filter's default; a denylist's is what its listed syscalls get
        Action defaultAction = allowlist ? given.orElse(Action.KILL_PROCESS) : Action.ALLOW;
        Action ruleDefault = allowlist ? Action.ALLOW : given.orElse(Action.KILL_PROCESS);
        List<Rule> rules = new ArrayList<>();
        Optional<String> arch = Optional.empty();
        for (int i = 2; i < lines.length; i++) {
            String line = stripComment(lines[i]).trim();
            int n = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("[")) {
                arch = section(line, n);
                continue;
            }
            rules.add(rule(line, n, ruleDefault, arch));
        }
        return new Policy(defaultAction, rules, Set.of(), Set.of(), "LXC v2");
    }

    private Optional<String> section(String line, int n) {
        if (!line.endsWith("]")) {
            throw error(n, line, "Invalid seccomp architecture section \"" + line + "\"");
        }
        String name = line.substring(1, line.length() - 1).trim().toLowerCase(Locale.ROOT);
        if (name.equals("all")) {
            return Optional.empty();
        }
        return Optional.of(Arches.canonical(name).orElseThrow(() -> error(n, line,
                "Unsupported seccomp architecture section \"" + line + "\"")));
    }

    private Rule rule(String line, int n, Action ruleDefault, Optional<String> arch) {
        if (line.equals("reject_force_umount") || line.startsWith("reject_force_umount ")) {
            return new Rule("umount2", OptionalInt.empty(), Action.errno(EACCES),
                    List.of(new ArgCondition(1, ArgCondition.Op.MASKED_EQ, MNT_FORCE, MNT_FORCE)), arch, n);
        }
        String[] parts = line.split("\\s+", 2);
        String name = parts[0];
        if (!name.matches("[A-Za-z0-9_]+")) {
            throw error(n, line, "Invalid seccomp rule \"" + line + "\": \"" + name + "\" is not a syscall name");
        }
        String rest = parts.length > 1 ? parts[1] : "";
        int bracket = rest.indexOf('[');
        String actionText = (bracket < 0 ? rest : rest.substring(0, bracket)).trim();
        Action action = actionText.isEmpty() ? ruleDefault : action(actionText, n);
        List<ArgCondition> conditions = new ArrayList<>();
        if (bracket >= 0) {
            String filters = rest.substring(bracket);
            Matcher m = FILTER.matcher(filters);
            int end = 0;
            while (m.find()) {
                if (!filters.substring(end, m.start()).isBlank()) {
                    throw error(n, line, "Invalid seccomp rule \"" + line + "\": unexpected \""
                            + filters.substring(end, m.start()).trim() + "\"");
                }
                conditions.add(condition(m.group(1), line, n));
                end = m.end();
            }
            if (!filters.substring(end).isBlank()) {
                throw error(n, line, "Invalid seccomp rule \"" + line + "\": unexpected \""
                        + filters.substring(end).trim() + "\"");
            }
        }
        if (conditions.size() > 6) {
            throw error(n, line, "Invalid seccomp rule \"" + line + "\": more than 6 argument filters");
        }
        return new Rule(name, OptionalInt.empty(), action, conditions, arch, n);
    }

    private Action action(String text, int n) {
        String[] w = text.split("\\s+");
        Action a = switch (w[0]) {
            case "kill" -> Action.KILL_PROCESS;
            case "allow" -> Action.ALLOW;
            case "trap" -> Action.TRAP;
            case "log" -> Action.LOG;
            case "notify" -> Action.NOTIFY;
            case "errno" -> {
                if (w.length != 2) {
                    throw error(n, text, "Invalid seccomp action \"" + text + "\": errno needs a number");
                }
                yield Action.errno(errno(w[1], text, n));
            }
            default -> throw error(n, text, "Invalid seccomp action \"" + text
                    + "\": expected kill, allow, trap, errno <N>, notify or log");
        };
        if (a.kind() != Action.Kind.ERRNO && w.length > 1) {
            throw error(n, text, "Invalid seccomp action \"" + text + "\": unexpected \"" + w[1] + "\"");
        }
        return a;
    }

    private int errno(String word, String text, int n) {
        try {
            int e = Integer.parseInt(word);
            if (e >= 0 && e <= MAX_ERRNO) {
                return e;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(n, text, "Invalid errno \"" + word + "\": expected 0 to " + MAX_ERRNO);
    }

    private ArgCondition condition(String inner, String line, int n) {
        String[] f = inner.split(",", -1);
        if (f.length != 3 && f.length != 4) {
            throw error(n, line, "Invalid argument filter \"[" + inner + "]\": expected [index,value,op] or "
                    + "[index,value,op,mask]");
        }
        long index = number(f[0].trim(), inner, n);
        if (index < 0 || index > 5) {
            throw error(n, line, "Invalid argument filter \"[" + inner + "]\": index must be 0 to 5");
        }
        long value = number(f[1].trim(), inner, n);
        ArgCondition.Op op = OPS.get(f[2].trim());
        if (op == null) {
            throw error(n, line, "Invalid argument filter \"[" + inner + "]\": unknown operator \"" + f[2].trim()
                    + "\"");
        }
        if (op == ArgCondition.Op.MASKED_EQ) {
            if (f.length != 4) {
                throw error(n, line, "Invalid argument filter \"[" + inner + "]\": SCMP_CMP_MASKED_EQ needs a mask");
            }
            return new ArgCondition((int) index, op, number(f[3].trim(), inner, n), value);
        }
        if (f.length == 4) {
            throw error(n, line, "Invalid argument filter \"[" + inner + "]\": a mask needs SCMP_CMP_MASKED_EQ");
        }
        return new ArgCondition((int) index, op, value, 0);
    }

    /** An unsigned 64-bit number as {@code strtoull(…, 0)} reads it: decimal, {@code 0x} hex or {@code 0} octal. */
    private long number(String s, String inner, int n) {
        try {
            BigInteger v;
            if (s.startsWith("0x") || s.startsWith("0X")) {
                v = new BigInteger(s.substring(2), 16);
            } else if (s.length() > 1 && s.startsWith("0")) {
                v = new BigInteger(s.substring(1), 8);
            } else {
                v = new BigInteger(s);
            }
            if (v.signum() >= 0 && v.bitLength() <= 64) {
                return v.longValue();
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error(n, "[" + inner + "]", "Invalid argument filter \"[" + inner + "]\": \"" + s
                + "\" is not an unsigned 64-bit number");
    }

    /** The line without a {@code #} comment (at the start, or after whitespace). */
    private static String stripComment(String line) {
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    private ConfigException error(int line, String value, String reason) {
        return PolicyError.at(source, line, value, reason);
    }
}
