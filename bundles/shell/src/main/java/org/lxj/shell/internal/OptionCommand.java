package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.shell.internal.cli.GetOpt;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.lxj.shell.internal.cli.UsageException;

/**
 * A command parsed the way LXC's C tools parse ({@code src/lxc/tools/arguments.c}): its own options plus
 * the common ones, {@code --help} and {@code --usage} on standard error with status 0, {@code --version} on
 * standard output, a parse error as getopt's message followed by the help text with status 1.
 */
abstract class OptionCommand extends LxcCommand {

    /** The common options' part of every help text, in LXC's layout. */
    static final String COMMON_HELP = """
            Common options :
              -o, --logfile=FILE               Accepted for LXC compatibility; LXJ logs to its log directory
              -l, --logpriority=LEVEL          Accepted for LXC compatibility; LXJ's levels are set in its logging configuration
              -q, --quiet                      Accepted for LXC compatibility
              -P, --lxcpath=PATH               Use specified container path
              -?, --help                       Give this help list
                  --usage                      Give a short usage message
                  --version                    Print the version number

            Mandatory or optional arguments to long options are also mandatory or optional
            for any corresponding short options.

            """;

    static final Option NAME = Option.withArgument('n', "name", "NAME");

    private static final List<Option> COMMON = List.of(
            Option.withArgument('o', "logfile", "LOGFILE"),
            Option.withArgument('l', "logpriority", "LOGPRIORITY"),
            Option.flag('q', "quiet"),
            Option.withArgument('P', "lxcpath", "LXCPATH"),
            Option.flag('h', "help"),
            Option.flag('?', null).as("help"),
            Option.flag("usage"),
            Option.flag("version"));

    private static final int USAGE_WIDTH = 80;

    protected final ContainerRuntime runtime;
    private final GetOpt getopt;
    private final String help;
    private final String version;

    /**
     * @param tool    the LXC tool name
     * @param options the tool's own options, in the order {@code --usage} lists them
     * @param help    the full help text
     * @param version what {@code --version} prints
     */
    OptionCommand(String tool, ContainerRuntime runtime, List<Option> options, String help, String version) {
        super(tool);
        this.runtime = runtime;
        List<Option> all = new ArrayList<>(options);
        all.addAll(COMMON);
        this.getopt = new GetOpt(all);
        this.help = help;
        this.version = version;
    }

    @Override
    public final int run(CommandIo io, List<String> args) {
        ParsedArgs parsed;
        try {
            parsed = getopt.parse(args);
        } catch (UsageException e) {
            io.err().print(tool() + ": " + e.getMessage() + "\n" + help);
            return 1;
        }
        if (parsed.has("help")) {
            io.err().print(help);
            return 0;
        }
        if (parsed.has("usage")) {
            io.err().print(usage());
            return 0;
        }
        if (parsed.has("version")) {
            io.out().print(version + "\n");
            return 0;
        }
        try {
            return run(io, parsed);
        } catch (LxjException e) {
            error(io, String.valueOf(e.getMessage()));
            return e.exitStatus();
        }
    }

    /** Runs the parsed command; returns the exit status. */
    abstract int run(CommandIo io, ParsedArgs args);

    /** {@code -P}, resolved against the current directory, or the system's lxcpath. */
    final Path lxcpath(CommandIo io, ParsedArgs args) {
        return args.last("lxcpath").map(io::resolve).orElseGet(() -> runtime.systemConfig().lxcpath());
    }

    /** {@code -n}, or else the first positional argument, as LXC's tools take it. */
    static Optional<String> name(ParsedArgs args) {
        return args.last("name").or(() -> args.positionals().stream().findFirst());
    }

    /** The one-line synopsis {@code --usage} prints, generated from the options. */
    final String usage() {
        StringBuilder out = new StringBuilder("Usage: " + tool());
        int column = out.length();
        for (Option o : getopt.options()) {
            String item = " [" + synopsis(o) + "]";
            if (column + item.length() > USAGE_WIDTH) {
                out.append("\n\t");
                column = 8;
                item = item.substring(1);
            }
            out.append(item);
            column += item.length();
        }
        return out.append('\n').toString();
    }

    private static String synopsis(Option o) {
        StringBuilder s = new StringBuilder();
        if (o.shortName() != 0) {
            s.append('-').append(o.shortName());
        }
        if (o.longName() != null) {
            s.append(s.length() > 0 ? "|" : "").append("--").append(o.longName());
            if (o.takesArgument()) {
                s.append('=').append(o.argument());
            }
        } else if (o.takesArgument()) {
            s.append(' ').append(o.argument());
        }
        return s.toString();
    }
}
