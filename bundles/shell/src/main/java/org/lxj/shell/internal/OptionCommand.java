package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntConsumer;

import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.api.command.DirectCommand;
import org.lxj.shell.internal.cli.BadArgumentException;
import org.lxj.shell.internal.cli.GetOpt;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.lxj.shell.internal.cli.UsageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A command parsed the way LXC's C tools parse ({@code src/lxc/tools/arguments.c}): its own options plus
 * the common ones, {@code --help} and {@code --usage} on standard error with status 0, {@code --version} on
 * standard output, a parse error as getopt's message followed by the help text with status 1.
 */
abstract class OptionCommand extends LxcCommand {

    /** The common options' part of every help text, in LXC's layout. */
    static final String COMMON_HELP = """
            Common options :
              -o, --logfile=FILE               Output log to FILE (lxc-start, lxc-execute: the container's log)
              -l, --logpriority=LEVEL          Set log priority to LEVEL (of that log; default ERROR)
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

    private static final Logger LOG = LoggerFactory.getLogger(OptionCommand.class);

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
        return run(io, args, null);
    }

    /**
     * The daemon's path without a Gogo session ({@link DirectCommand}, for the subclasses registered as one): the
     * same parser, output and status as the Gogo command, on the caller's thread, with the client's fds behind the
     * streams (handed to a container's process) and its terminal width.
     */
    public final int run(DirectCommand.Invocation invocation) {
        CommandIo io = new CommandIo(invocation.out(), invocation.err(), invocation.width() > 0, invocation.width(),
                invocation.cwd(), invocation.in(), Optional.of(invocation.fds()));
        return run(io, invocation.args(), invocation.exited());
    }

    /** The command line parsed as {@link #run(CommandIo, List, IntConsumer)} parses it; empty when that fails. */
    final Optional<ParsedArgs> parse(List<String> args) {
        try {
            return Optional.of(getopt.parse(args));
        } catch (UsageException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses and runs the command; {@code exited}, when not null, is told the exit status as soon as the command
     * knows it (see {@link #run(CommandIo, ParsedArgs, IntConsumer)}).
     */
    final int run(CommandIo io, List<String> args, IntConsumer exited) {
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
            return run(io, parsed, exited);
        } catch (BadArgumentException e) {
            LOG.debug("{}: {}", tool(), e.getMessage());
            error(io, "could not parse command line");
            return 1;
        } catch (LxjException e) {
            error(io, String.valueOf(e.getMessage()));
            return e.exitStatus();
        }
    }

    /**
     * Runs the parsed command; returns the exit status.
     *
     * @throws BadArgumentException when an option's argument is malformed, which LXC reports without help
     */
    abstract int run(CommandIo io, ParsedArgs args) throws BadArgumentException;

    /**
     * As {@link #run(CommandIo, ParsedArgs)}, with a hook told the exit status early (a command that cleans up
     * after it knows its status, such as {@code lxc-execute}, overrides this); others ignore the hook.
     */
    int run(CommandIo io, ParsedArgs args, IntConsumer exited) throws BadArgumentException {
        return run(io, args);
    }

    /** {@code -P}, resolved against the current directory, or the system's lxcpath. */
    final Path lxcpath(CommandIo io, ParsedArgs args) {
        return args.last("lxcpath").map(io::resolve).orElseGet(() -> runtime.systemConfig().lxcpath());
    }

    /** {@code -n}, or else the first positional argument, as LXC's tools take it. */
    static Optional<String> name(ParsedArgs args) {
        return args.last("name").or(() -> args.positionals().stream().findFirst());
    }

    /**
     * The command to run: the positional arguments (less the first when it named the container) followed by
     * everything after {@code --}, as LXC's tools collect it.
     */
    static List<String> command(ParsedArgs args) {
        List<String> command = new ArrayList<>(args.positionals());
        if (args.last("name").isEmpty() && !command.isEmpty()) {
            command.remove(0);
        }
        command.addAll(args.afterDashes());
        return command;
    }

    /**
     * Whether the {@code -f FILE} of {@code lxc-start} or {@code lxc-execute} parses. LXC loads it before it
     * looks at the container, and reports the cause and then {@code Failed to load rcfile}.
     */
    final boolean loadsRcfile(CommandIo io, String name, Path rcfile) {
        try {
            runtime.parseConfig(rcfile);
            return true;
        } catch (LxjException e) {
            error(io, name, String.valueOf(e.getMessage()));
            error(io, name, "Failed to load rcfile");
            return false;
        }
    }

    /** A decimal {@code int} with nothing around it, as LXC's {@code lxc_safe_int} accepts. */
    static int integer(String option, String value) throws BadArgumentException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadArgumentException("Invalid number \"" + value + "\" for " + option);
        }
    }

    /** A uid or gid for {@code -u}/{@code -g}: a non-negative decimal number. */
    static OptionalInt id(ParsedArgs args, String key) throws BadArgumentException {
        Optional<String> value = args.last(key);
        if (value.isEmpty()) {
            return OptionalInt.empty();
        }
        int id = integer("--" + key, value.get());
        if (id < 0) {
            throw new BadArgumentException("Invalid id \"" + value.get() + "\" for --" + key);
        }
        return OptionalInt.of(id);
    }

    /**
     * Refuses options LXC has and LXJ does not implement, rather than ignoring them: prints
     * {@code lxc-TOOL: NAME: Option --x is not supported by LXJ} and answers true when one was given.
     */
    final boolean refuseUnsupported(CommandIo io, String name, ParsedArgs args, String... keys) {
        for (String key : keys) {
            if (args.has(key)) {
                error(io, name, "Option --" + key + " is not supported by LXJ");
                return true;
            }
        }
        return false;
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
                s.append(o.optional() ? "[=" + o.argument() + "]" : "=" + o.argument());
            }
        } else if (o.takesArgument()) {
            s.append(' ').append(o.argument());
        }
        return s.toString();
    }
}
