package org.lxj.security.seccomp.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.lxj.api.ConfigException;
import org.lxj.spi.launch.SeccompFilterFlag;

/**
 * OCI {@code linux.seccomp} profiles (runtime-spec {@code config-linux.md}): {@code defaultAction},
 * {@code defaultErrnoRet}, {@code architectures}, {@code flags} and {@code syscalls} with {@code names},
 * {@code action}, {@code errnoRet} and {@code args}. A whole {@code config.json} is accepted too (its
 * {@code linux.seccomp}). Docker's extensions ({@code archMap}, {@code includes}, {@code excludes}) need
 * flattening by capabilities, which this parser does not do; they are refused by name.
 */
final class OciPolicyParser {

    private static final int EPERM = 1;
    private final Optional<Path> source;

    private OciPolicyParser(Optional<Path> source) {
        this.source = source;
    }

    static Policy parse(String text, Optional<Path> source) {
        return new OciPolicyParser(source).parse(text);
    }

    private Policy parse(String text) {
        Object root;
        try {
            root = Json.parse(text);
        } catch (Json.SyntaxError e) {
            throw error(e.line, null, "Invalid seccomp profile: " + e.getMessage());
        }
        Json.Obj top = obj(root, "the profile", 1);
        Json.Obj p = top.fields().get("linux") instanceof Json.Obj linux
                && linux.fields().get("seccomp") instanceof Json.Obj s ? s : top;
        if (p.fields().containsKey("archMap")) {
            throw error(p.line(), "archMap", "Unsupported seccomp profile: Docker profiles (archMap, includes, "
                    + "excludes) must be flattened to OCI form first");
        }
        Action dflt = action(p, "defaultAction", "defaultErrnoRet", true);
        Set<String> arches = new LinkedHashSet<>();
        for (Object a : list(p, "architectures")) {
            String name = str(a, "an architecture", p.line());
            arches.add(Arches.fromOci(name).orElseThrow(() -> error(p.line(), name,
                    "Unsupported seccomp architecture \"" + name + "\"")));
        }
        Set<SeccompFilterFlag> flags = EnumSet.noneOf(SeccompFilterFlag.class);
        for (Object f : list(p, "flags")) {
            String name = str(f, "a flag", p.line());
            flags.add(flag(name, p.line()));
        }
        List<Rule> rules = new ArrayList<>();
        for (Object o : list(p, "syscalls")) {
            Json.Obj r = obj(o, "a syscall rule", p.line());
            rules.addAll(rules(r));
        }
        return new Policy(dflt, rules, arches, flags, "OCI");
    }

    private List<Rule> rules(Json.Obj r) {
        for (String docker : List.of("includes", "excludes")) {
            if (r.fields().get(docker) instanceof Json.Obj o && !o.fields().isEmpty()) {
                throw error(r.line(), docker, "Unsupported seccomp rule: Docker's \"" + docker + "\" must be "
                        + "flattened to OCI form first");
            }
        }
        List<String> names = new ArrayList<>();
        if (r.fields().containsKey("name")) {
            names.add(str(r.fields().get("name"), "name", r.line()));
        }
        for (Object n : list(r, "names")) {
            names.add(str(n, "a syscall name", r.line()));
        }
        if (names.isEmpty()) {
            throw error(r.line(), null, "Invalid seccomp rule: no syscall names");
        }
        Action action = action(r, "action", "errnoRet", true);
        List<ArgCondition> conditions = new ArrayList<>();
        for (Object a : list(r, "args")) {
            conditions.add(condition(obj(a, "an argument filter", r.line())));
        }
        if (conditions.size() > 6) {
            throw error(r.line(), null, "Invalid seccomp rule: more than 6 argument filters");
        }
        List<Rule> out = new ArrayList<>();
        for (String n : names) {
            out.add(new Rule(n, OptionalInt.empty(), action, conditions, Optional.empty(), r.line()));
        }
        return out;
    }

    private ArgCondition condition(Json.Obj a) {
        long index = unsigned(a, "index", true);
        if (index > 5) {
            throw error(a.line(), Long.toString(index), "Invalid argument filter: index must be 0 to 5");
        }
        String op = str(a.fields().get("op"), "op", a.line());
        ArgCondition.Op o;
        try {
            o = ArgCondition.Op.valueOf(op.replaceFirst("^SCMP_CMP_", ""));
        } catch (IllegalArgumentException e) {
            throw error(a.line(), op, "Invalid argument filter: unknown operator \"" + op + "\"");
        }
        if (!op.startsWith("SCMP_CMP_")) {
            throw error(a.line(), op, "Invalid argument filter: unknown operator \"" + op + "\"");
        }
        // OCI's value/valueTwo are libseccomp's datum_a/datum_b: for MASKED_EQ the mask, then the value
        return new ArgCondition((int) index, o, unsigned(a, "value", true), unsigned(a, "valueTwo", false));
    }

    private Action action(Json.Obj o, String field, String errnoField, boolean required) {
        Object v = o.fields().get(field);
        if (v == null && !required) {
            return Action.ALLOW;
        }
        String name = str(v, field, o.line());
        return switch (name) {
            case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD" -> Action.KILL_THREAD;
            case "SCMP_ACT_KILL_PROCESS" -> Action.KILL_PROCESS;
            case "SCMP_ACT_TRAP" -> Action.TRAP;
            case "SCMP_ACT_ALLOW" -> Action.ALLOW;
            case "SCMP_ACT_LOG" -> Action.LOG;
            case "SCMP_ACT_NOTIFY" -> Action.NOTIFY;
            case "SCMP_ACT_ERRNO" -> Action.errno(o.fields().containsKey(errnoField)
                    ? errno(o, errnoField) : EPERM);
            case "SCMP_ACT_TRACE" -> new Action(Action.Kind.TRACE, o.fields().containsKey(errnoField)
                    ? errno(o, errnoField) : EPERM);
            default -> throw error(o.line(), name, "Invalid seccomp action \"" + name + "\"");
        };
    }

    private int errno(Json.Obj o, String field) {
        long e = unsigned(o, field, true);
        if (e > 4095) {
            throw error(o.line(), Long.toString(e), "Invalid " + field + " " + e + ": expected 0 to 4095");
        }
        return (int) e;
    }

    private SeccompFilterFlag flag(String name, int line) {
        return switch (name) {
            case "SECCOMP_FILTER_FLAG_TSYNC" -> SeccompFilterFlag.TSYNC;
            case "SECCOMP_FILTER_FLAG_LOG" -> SeccompFilterFlag.LOG;
            case "SECCOMP_FILTER_FLAG_SPEC_ALLOW" -> SeccompFilterFlag.SPEC_ALLOW;
            case "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV" -> SeccompFilterFlag.WAIT_KILLABLE_RECV;
            default -> throw error(line, name, "Unsupported seccomp flag \"" + name + "\"");
        };
    }

    private long unsigned(Json.Obj o, String field, boolean required) {
        Object v = o.fields().get(field);
        if (v == null && !required) {
            return 0;
        }
        if (v instanceof BigDecimal d) {
            try {
                BigInteger i = d.toBigIntegerExact();
                if (i.signum() >= 0 && i.bitLength() <= 64) {
                    return i.longValue();
                }
            } catch (ArithmeticException e) {
                // reported below
            }
        }
        throw error(o.line(), String.valueOf(v), "Invalid \"" + field + "\": expected an unsigned 64-bit number");
    }

    private List<Object> list(Json.Obj o, String field) {
        Object v = o.fields().get(field);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        throw error(o.line(), String.valueOf(v), "Invalid \"" + field + "\": expected an array");
    }

    private Json.Obj obj(Object v, String what, int line) {
        if (v instanceof Json.Obj o) {
            return o;
        }
        throw error(line, String.valueOf(v), "Invalid seccomp profile: expected " + what + " to be an object");
    }

    private String str(Object v, String what, int line) {
        if (v instanceof String s) {
            return s;
        }
        throw error(line, String.valueOf(v), "Invalid seccomp profile: expected " + what + " to be a string");
    }

    private ConfigException error(int line, String value, String reason) {
        return PolicyError.at(source, line, value, reason);
    }

    static boolean looksLikeJson(String text) {
        return text.stripLeading().startsWith("{");
    }
}
