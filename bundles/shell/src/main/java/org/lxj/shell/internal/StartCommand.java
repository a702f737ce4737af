package org.lxj.shell.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ConfigException;
import org.lxj.api.Container;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.ContainerState;
import org.lxj.api.LxjException;
import org.lxj.api.StartOptions;
import org.lxj.api.command.DirectCommand;
import org.lxj.linux.Syscalls;
import org.lxj.shell.internal.cli.BadArgumentException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-start}: starts a container's init, or {@code COMMAND} instead of it. Silent on success; a running
 * container is reported and is not an error (status 0), as in LXC. {@code -F} relays the container's console to
 * the caller (its terminal in raw mode; every keystroke goes to the container) and returns once the container has
 * stopped again. {@code -L FILE} sets {@code lxc.console.logfile}, {@code -c FILE} sets {@code lxc.console.path}
 * (which LXJ honours only as {@code none}: its console is always a pty).
 */
@Component(service = { Function.class, DirectCommand.class }, property = { "osgi.command.scope=lxc",
        "osgi.command.function=start", DirectCommand.NAME_PROPERTY + "=lxc-start" })
public final class StartCommand extends OptionCommand implements DirectCommand {

    static final String HELP = """
            Usage: lxc-start --name=NAME -- COMMAND

            lxc-start start COMMAND in specified container NAME

            Options :
              -n, --name=NAME        NAME of the container
              -d, --daemon           Daemonize the container (default)
              -F, --foreground       Wait until the container has stopped again
              -p, --pidfile=FILE     Create a file with the process id
              -f, --rcfile=FILE      Load configuration file FILE
              -c, --console=FILE     Use specified FILE for the container console
              -L, --console-log=FILE Log container console output to FILE
              -C, --close-all-fds    If any fds are inherited, close them
                                     Note: --daemon implies --close-all-fds
              -s, --define KEY=VAL   Assign VAL to configuration variable KEY
                  --share-[net|ipc|uts|pid]=NAME Share a namespace with another container or pid

            """ + COMMON_HELP + """
            See the lxc-start man page for further information.

            """;

    private static final Logger LOG = LoggerFactory.getLogger(StartCommand.class);

    private static final Duration FOREVER = Duration.ofSeconds(-1);

    /** The namespaces {@code --share-NS} names, in LXC's order. */
    static final List<String> SHARED_NAMESPACES = List.of("net", "ipc", "uts", "pid");

    private static final List<Option> OPTIONS = List.of(
            Option.flag('d', "daemon"),
            Option.flag('F', "foreground"),
            Option.withArgument('f', "rcfile", "RCFILE"),
            Option.withArgument('s', "define", "DEFINE"),
            Option.withArgument('c', "console", "CONSOLE"),
            Option.withArgument('L', "console-log", "CONSOLE-LOG"),
            Option.flag('C', "close-all-fds"),
            Option.withArgument('p', "pidfile", "PIDFILE"),
            Option.withArgument("share-net", "SHARE-NET"),
            Option.withArgument("share-ipc", "SHARE-IPC"),
            Option.withArgument("share-uts", "SHARE-UTS"),
            Option.withArgument("share-pid", "SHARE-PID"),
            NAME);

    private final ConsoleViewers viewers;

    @Activate
    public StartCommand(@Reference ContainerRuntime runtime, @Reference Syscalls sys, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString(), new ConsoleViewers(Optional.of(sys)));
    }

    public StartCommand(ContainerRuntime runtime, String version) {
        this(runtime, version, new ConsoleViewers(Optional.empty()));
    }

    StartCommand(ContainerRuntime runtime, String version, ConsoleViewers viewers) {
        super("lxc-start", runtime, OPTIONS, HELP, version);
        this.viewers = viewers;
    }

    /** Here for {@code help lxc:start}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object start(CommandSession session, @Descriptor("lxc-start options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    /**
     * The daemon runs a detached start without a shell session ({@link DirectCommand}); {@code -F} relays the console,
     * which follows the client's window through the session's resize hook, so it keeps the session.
     */
    @Override
    public boolean accepts(List<String> args) {
        return parse(args).map(p -> !foreground(p)).orElse(true);
    }

    private static boolean foreground(ParsedArgs args) {
        return args.lastOf("daemon", "foreground").filter("foreground"::equals).isPresent();
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        Map<String, String> overrides = new LinkedHashMap<>(Defines.withLog(Defines.parse(args.all("define")),
                args.last("logfile").map(io::resolve), args.last("logpriority")));
        args.last("console").ifPresent(c -> overrides.put("lxc.console.path",
                c.equals("none") ? c : io.resolve(c).toString()));
        args.last("console-log").ifPresent(l -> overrides.put("lxc.console.logfile", io.resolve(l).toString()));
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        String n = name.get();
        Path lxcpath = lxcpath(io, args);
        Optional<Path> rcfile = args.last("rcfile").map(io::resolve);
        if (rcfile.isPresent() && !loadsRcfile(io, n, rcfile.get())) {
            return 1;
        }
        Optional<Container> container = runtime.find(lxcpath, n);
        if (container.isEmpty() && rcfile.isEmpty()) {
            error(io, n, "No container config specified");
            return 1;
        }
        if (container.isPresent() && container.get().state().isActive()) {
            error(io, n, "Container is already running");
            return 0;
        }
        boolean foreground = foreground(args);
        StartOptions options = new StartOptions(rcfile, overrides, args.last("pidfile").map(io::resolve),
                args.has("close-all-fds"), share(args), command(args), foreground);
        return start(io, lxcpath, n, options);
    }

    private int start(CommandIo io, Path lxcpath, String name, StartOptions options) {
        try {
            runtime.start(lxcpath, name, options);
        } catch (ContainerBusyException running) {
            error(io, name, "Container is already running");
            return 0;
        } catch (ConfigException e) {
            // A bad -s or config entry: LXC reports it alone, before anything was started.
            error(io, name, String.valueOf(e.getMessage()));
            return e.exitStatus();
        } catch (LxjException e) {
            error(io, name, String.valueOf(e.getMessage()));
            error(io, name, "The container failed to start");
            return e.exitStatus();
        }
        LOG.info("Started container {}", name);
        if (options.foreground()) {
            // the console until the container stops; without one (lxc.console.path = none), just the wait
            ConsoleRelay.End end = ConsoleCommand.connect(runtime, viewers.of(io), io, lxcpath, name, 0, 0, true,
                    message -> LOG.debug("{}: no console to relay: {}", name, message));
            if (end == ConsoleRelay.End.INTERRUPTED) {
                return 1;
            }
            runtime.waitFor(lxcpath, name, Set.of(ContainerState.STOPPED), FOREVER);
        }
        return 0;
    }

    /** {@code --share-NS NAME|PID} by namespace ({@code net}, {@code ipc}, {@code uts}, {@code pid}); last wins. */
    static Map<String, String> share(ParsedArgs args) {
        Map<String, String> share = new TreeMap<>();
        for (String ns : SHARED_NAMESPACES) {
            args.last("share-" + ns).ifPresent(target -> share.put(ns, target));
        }
        return share;
    }
}
