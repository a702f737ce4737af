package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntConsumer;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ConfigException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.LxjException;
import org.lxj.api.command.DirectCommand;
import org.lxj.shell.internal.cli.BadArgumentException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-execute}: runs {@code COMMAND} as an application container under a minimal init and exits with
 * the command's status (0 at once with {@code -d}). With {@code -f} the container need not be defined.
 * <p>
 * Standard streams: the command reads this command's input and writes to its output and error (a Gogo pipe, the
 * interactive terminal), relayed by the runtime; when the one-command launcher ({@code bin/lxj lxc-execute ...})
 * has set the session variable {@value CommandIo#INHERIT_VARIABLE} to {@code true}, the session's streams are the
 * process's own fds 0–2 and the command gets them directly ({@link org.lxj.api.Stdio#INHERIT}), terminal
 * included. The daemon runs it without a Gogo session ({@link DirectCommand}), handing over the client's fds and
 * the hook that answers the client as soon as the status is known.
 */
@Component(service = { Function.class, DirectCommand.class }, property = { "osgi.command.scope=lxc",
        "osgi.command.function=execute", DirectCommand.NAME_PROPERTY + "=lxc-execute" })
public final class ExecuteCommand extends OptionCommand implements DirectCommand {

    static final String HELP = """
            Usage: lxc-execute --name=NAME -- COMMAND

            lxc-execute creates a container with the identifier NAME
            and execs COMMAND into this container.

            Options :
              -n, --name=NAME      NAME of the container
              -d, --daemon         Daemonize the container
              -f, --rcfile=FILE    Load configuration file FILE
              -s, --define KEY=VAL Assign VAL to configuration variable KEY
              -u, --uid=UID        Execute COMMAND with UID inside the container
              -g, --gid=GID        Execute COMMAND with GID inside the container

            """ + COMMON_HELP + """
            See the lxc-execute man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(
            Option.flag('d', "daemon"),
            Option.withArgument('f', "rcfile", "RCFILE"),
            Option.withArgument('s', "define", "DEFINE"),
            Option.withArgument('u', "uid", "UID"),
            Option.withArgument('g', "gid", "GID"),
            NAME);

    @Activate
    public ExecuteCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public ExecuteCommand(ContainerRuntime runtime, String version) {
        super("lxc-execute", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:execute}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object execute(CommandSession session, @Descriptor("lxc-execute options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    /**
     * The session variable the daemon's control socket sets to an {@link java.util.function.IntConsumer} that answers
     * its client: the command's status goes there as soon as it is known, before the cleanup after the container.
     */
    static final String EXITED_VARIABLE = "lxj.exited";

    /** The {@value #EXITED_VARIABLE} hook of the Gogo session running this command, if it has one. */
    private static java.util.function.IntConsumer exitedHook() {
        org.apache.felix.service.command.Job job = org.apache.felix.service.command.Job.Utils.current();
        return job != null && job.session() != null
                && job.session().get(EXITED_VARIABLE) instanceof java.util.function.IntConsumer hook ? hook : null;
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        return run(io, args, null);
    }

    /** {@code early} null: the hook of the Gogo session running this command, if it has one. */
    @Override
    int run(CommandIo io, ParsedArgs args, IntConsumer early) throws BadArgumentException {
        Map<String, String> overrides = Defines.withLog(Defines.parse(args.all("define")),
                args.last("logfile").map(io::resolve), args.last("logpriority"));
        OptionalInt uid = id(args, "uid");
        OptionalInt gid = id(args, "gid");
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        String n = name.get();
        List<String> command = command(args);
        if (command.isEmpty()) {
            error(io, "missing command to execute !");
            return 1;
        }
        Path lxcpath = lxcpath(io, args);
        Optional<Path> rcfile = args.last("rcfile").map(io::resolve);
        if (rcfile.isPresent() && !loadsRcfile(io, n, rcfile.get())) {
            return 1;
        }
        if (rcfile.isEmpty() && runtime.find(lxcpath, n).isEmpty()) {
            error(io, n, "Executing a container with no configuration file may crash the host");
            return 1;
        }
        ExecuteOptions options = new ExecuteOptions(command, overrides, uid, gid, args.has("daemon"), rcfile);
        try {
            IntConsumer exited = early != null ? early : exitedHook();
            return exited == null ? runtime.execute(lxcpath, n, options, io.stdio())
                    : runtime.execute(lxcpath, n, options, io.stdio(), exited);
        } catch (ConfigException e) {
            error(io, n, String.valueOf(e.getMessage()));
            return e.exitStatus();
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            error(io, n, "Failed run an application inside container");
            return e.exitStatus();
        }
    }
}
