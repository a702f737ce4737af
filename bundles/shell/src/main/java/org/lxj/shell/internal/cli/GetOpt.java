package org.lxj.shell.internal.cli;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A command-line parser that behaves like glibc's {@code getopt_long} as LXC's tools use it: short options
 * bundle ({@code -sp}, {@code -nc1}), a short option's argument may be attached or follow, long options take
 * {@code --name=c1} or {@code --name c1} and may be abbreviated to an unambiguous prefix, options and
 * positional arguments mix freely, and {@code --} ends the options. Errors carry glibc's wording.
 */
public final class GetOpt {

    private final List<Option> options;

    public GetOpt(List<Option> options) {
        this.options = List.copyOf(options);
    }

    public List<Option> options() {
        return options;
    }

    /** Parses {@code args}; the first failure is thrown. */
    public ParsedArgs parse(List<String> args) throws UsageException {
        List<Map.Entry<String, String>> found = new ArrayList<>();
        List<String> positionals = new ArrayList<>();
        List<String> afterDashes = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                afterDashes.addAll(args.subList(i + 1, args.size()));
                break;
            } else if (arg.startsWith("--")) {
                i = parseLong(args, i, found);
            } else if (arg.startsWith("-") && arg.length() > 1) {
                i = parseShort(args, i, found);
            } else {
                positionals.add(arg);
            }
        }
        return new ParsedArgs(found, positionals, afterDashes);
    }

    private int parseLong(List<String> args, int index, List<Map.Entry<String, String>> found)
            throws UsageException {
        String arg = args.get(index);
        String body = arg.substring(2);
        int eq = body.indexOf('=');
        String name = eq < 0 ? body : body.substring(0, eq);
        Option option = findLong(name, arg);
        if (!option.takesArgument()) {
            if (eq >= 0) {
                throw new UsageException("option '--" + option.longName() + "' doesn't allow an argument");
            }
            found.add(entry(option, ""));
            return index;
        }
        if (eq >= 0) {
            found.add(entry(option, body.substring(eq + 1)));
            return index;
        }
        if (option.optional()) {
            found.add(entry(option, ""));
            return index;
        }
        if (index + 1 >= args.size()) {
            throw new UsageException("option '--" + option.longName() + "' requires an argument");
        }
        found.add(entry(option, args.get(index + 1)));
        return index + 1;
    }

    private Option findLong(String name, String arg) throws UsageException {
        Map<String, Option> candidates = new LinkedHashMap<>();
        for (Option o : options) {
            if (o.longName() == null) {
                continue;
            }
            if (o.longName().equals(name)) {
                return o;
            }
            if (!name.isEmpty() && o.longName().startsWith(name)) {
                candidates.putIfAbsent(o.longName(), o);
            }
        }
        if (candidates.isEmpty()) {
            throw new UsageException("unrecognized option '" + arg + "'");
        }
        // Prefixes of names that mean the same thing (one key, same argument) are not ambiguous.
        long meanings = candidates.values().stream().map(o -> o.key() + "/" + o.takesArgument()).distinct().count();
        if (meanings > 1) {
            throw new UsageException("option '--" + name + "' is ambiguous; possibilities:"
                    + candidates.keySet().stream().map(n -> " '--" + n + "'").collect(Collectors.joining()));
        }
        return candidates.values().iterator().next();
    }

    private int parseShort(List<String> args, int index, List<Map.Entry<String, String>> found)
            throws UsageException {
        String arg = args.get(index);
        for (int p = 1; p < arg.length(); p++) {
            char c = arg.charAt(p);
            Option option = findShort(c);
            if (!option.takesArgument()) {
                found.add(entry(option, ""));
                continue;
            }
            if (p + 1 < arg.length()) {
                found.add(entry(option, arg.substring(p + 1)));
                return index;
            }
            if (option.optional()) {
                found.add(entry(option, ""));
                return index;
            }
            if (index + 1 >= args.size()) {
                throw new UsageException("option requires an argument -- '" + c + "'");
            }
            found.add(entry(option, args.get(index + 1)));
            return index + 1;
        }
        return index;
    }

    private Option findShort(char c) throws UsageException {
        for (Option o : options) {
            if (o.shortName() == c) {
                return o;
            }
        }
        throw new UsageException("invalid option -- '" + c + "'");
    }

    private static Map.Entry<String, String> entry(Option option, String value) {
        return new AbstractMap.SimpleImmutableEntry<>(option.key(), value);
    }
}
