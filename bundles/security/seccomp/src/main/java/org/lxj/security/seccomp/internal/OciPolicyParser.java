package org.lxj.security.seccomp.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.lxj.api.ConfigException;
import org.lxj.spi.launch.SeccompFilterFlag;

/**
 * OCI {@code linux.seccomp} profiles (runtime-spec {@code config-linux.md}): {@code defaultAction},
 * {@code defaultErrnoRet}, {@code architectures}, {@code flags} and {@code syscalls} with {@code names},
 * {@code action}, {@code errnoRet} and {@code args}. A whole {@code config.json} is accepted too (its
 * {@code linux.seccomp}). Docker/Moby profiles are flattened for one container as Docker does it
 * ({@link DockerTarget}): {@code archMap} gives the native architecture and its sub-architectures, and a rule
 * whose {@code includes}/{@code excludes} (capabilities, architectures, {@code minKernel}) do not fit the
 * container is left out. Without a target they are refused by name.
 */
final class OciPolicyParser {

    private static final int EPERM = 1;
    private final Optional<Path> source;
    private final Optional<DockerTarget> docker;

    private OciPolicyParser(Optional<Path> source, Optional<DockerTarget> docker) {
        this.source = source;
        this.docker = docker;
    }

    static Policy parse(String text, Optional<Path> source) {
        return new OciPolicyParser(source, Optional.empty()).parse(text);
    }

    /** Parses {@code text}, flattening Docker's extensions for {@code docker}. */
    static Policy parse(String text, Optional<Path> source, DockerTarget docker) {
        return new OciPolicyParser(source, Optional.of(docker)).parse(text);
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
        boolean dockerProfile = p.fields().containsKey("archMap");
        if (dockerProfile && docker.isEmpty()) {
            throw error(p.line(), "archMap", "Unsupported seccomp profile: Docker profiles (archMap, includes, "
                    + "excludes) must be flattened to OCI form first");
        }
        Action dflt = action(p, "defaultAction", "defaultErrnoRet", true);
        Set<String> arches = dockerProfile ? archMap(p) : new LinkedHashSet<>();
        for (Object a : dockerProfile ? List.of() : list(p, "architectures")) {
            arches.add(arch(str(a, "an architecture", p.line()), p.line()));
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

    private String arch(String name, int line) {
        return Arches.fromOci(name).orElseThrow(() -> error(line, name,
                "Unsupported seccomp architecture \"" + name + "\""));
    }

    /** Docker's {@code archMap}: the entry of the native architecture, with its sub-architectures. */
    private Set<String> archMap(Json.Obj p) {
        Set<String> arches = new LinkedHashSet<>();
        for (Object o : list(p, "archMap")) {
            Json.Obj entry = obj(o, "an archMap entry", p.line());
            String main = arch(str(entry.fields().get("architecture"), "architecture", entry.line()), entry.line());
            if (!main.equals(docker.orElseThrow().nativeArch())) {
                continue;
            }
            arches.add(main);
            for (Object sub : list(entry, "subArchitectures")) {
                String name = str(sub, "a sub-architecture", entry.line());
                // Docker lists sub-architectures libseccomp may not know on every build (x32); those meet the
                // bad-architecture action like any other unlisted one
                Arches.fromOci(name).ifPresent(arches::add);
            }
        }
        return arches;
    }

    private List<Rule> rules(Json.Obj r) {
        for (String field : List.of("includes", "excludes")) {
            if (r.fields().get(field) instanceof Json.Obj o && !o.fields().isEmpty()) {
                if (docker.isEmpty()) {
                    throw error(r.line(), field, "Unsupported seccomp rule: Docker's \"" + field + "\" must be "
                            + "flattened to OCI form first");
                }
            }
        }
        if (docker.isPresent() && !fits(r, docker.get())) {
            return List.of();
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

    /** Whether a Docker rule's {@code includes} and {@code excludes} let it apply to {@code target}. */
    private boolean fits(Json.Obj r, DockerTarget target) {
        Json.Obj inc = r.fields().get("includes") instanceof Json.Obj o ? o : new Json.Obj(Map.of(), r.line());
        Json.Obj exc = r.fields().get("excludes") instanceof Json.Obj o ? o : new Json.Obj(Map.of(), r.line());
        String minKernel = inc.fields().containsKey("minKernel")
                ? str(inc.fields().get("minKernel"), "minKernel", inc.line()) : "";
        return target.includes(strings(inc, "caps"), strings(inc, "arches"), minKernel)
                && !target.excludes(strings(exc, "caps"), strings(exc, "arches"));
    }

    private List<String> strings(Json.Obj o, String field) {
        return list(o, field).stream().map(v -> str(v, field, o.line())).toList();
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
