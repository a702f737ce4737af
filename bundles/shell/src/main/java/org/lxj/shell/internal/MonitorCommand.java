package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.event.ContainerEvent;
import org.lxj.api.event.ContainerListener;
import org.lxj.api.event.Subscription;
import org.lxj.shell.internal.cli.BadArgumentException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-monitor}: prints LXC's lines for the state changes and exits of the containers whose names match
 * {@code -n} (a regular expression, anchored as LXC anchors it; all by default) in each {@code -P} lxcpath, until
 * interrupted. This runtime's events come through a {@link ContainerListener} registered on the whiteboard for the
 * command's duration; those of other runtime processes (one-command runs) from the runtime's event journal. There
 * is no {@code lxc-monitord} in LXJ, so {@code -Q} only says so.
 */
@Component(service = org.apache.felix.service.command.Function.class,
        property = { "osgi.command.scope=lxc", "osgi.command.function=monitor" })
public final class MonitorCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-monitor [--name=NAME]

            lxc-monitor monitors the state of the NAME container

            Options :
              -n, --name=NAME   NAME of the container
                                NAME may be a regular expression
              -Q, --quit        tell lxc-monitord to quit

            """ + COMMON_HELP + """
            See the lxc-monitor man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(NAME, Option.flag('Q', "quit"));

    /** The exit status after an interrupt (Ctrl-C), as a shell reports a process ended by SIGINT. */
    static final int INTERRUPTED = 130;

    private final Function<ContainerListener, Subscription> whiteboard;

    @Activate
    public MonitorCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString(), l -> register(context, l));
    }

    /**
     * @param whiteboard registers a listener for this runtime's events until the subscription is closed
     */
    public MonitorCommand(ContainerRuntime runtime, String version,
            Function<ContainerListener, Subscription> whiteboard) {
        super("lxc-monitor", runtime, OPTIONS, HELP, version);
        this.whiteboard = whiteboard;
    }

    private static Subscription register(BundleContext context, ContainerListener listener) {
        ServiceRegistration<ContainerListener> r = context.registerService(ContainerListener.class, listener, null);
        return () -> {
            try {
                r.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        };
    }

    @Descriptor(HELP)
    public Object monitor(CommandSession session, @Descriptor("lxc-monitor options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        Set<Path> lxcpaths = new LinkedHashSet<>();
        args.all("lxcpath").forEach(p -> lxcpaths.add(io.resolve(p).toAbsolutePath().normalize()));
        if (lxcpaths.isEmpty()) {
            lxcpaths.add(runtime.systemConfig().lxcpath().toAbsolutePath().normalize());
        }
        if (args.has("quit")) {
            error(io, "There is no lxc-monitord to quit: LXJ's runtime keeps an event journal instead");
            return 0;
        }
        Pattern names = pattern(name(args).orElse(".*"));
        BlockingQueue<ContainerEvent> queue = new LinkedBlockingQueue<>();
        ContainerListener listener = e -> {
            if (lxcpaths.contains(e.lxcpath().toAbsolutePath().normalize()) && names.matcher(e.name()).matches()
                    && line(e).isPresent()) {
                queue.add(e);
            }
        };
        List<Subscription> subscriptions = new ArrayList<>();
        try {
            subscriptions.add(whiteboard.apply(listener));
            for (Path p : lxcpaths) {
                subscriptions.add(runtime.followJournal(p, listener));
            }
            while (true) {
                io.out().print(line(queue.take()).orElseThrow() + "\n");
                io.out().flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return INTERRUPTED;
        } finally {
            subscriptions.forEach(Subscription::close);
        }
    }

    static Pattern pattern(String regex) throws BadArgumentException {
        try {
            return Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw new BadArgumentException("Invalid name regex \"" + regex + "\": " + e.getDescription());
        }
    }

    /**
     * LXC's line for an event: {@code 'c1' changed state to [RUNNING]}, {@code 'c1' exited with status [0]} (the
     * signal number for a container killed by one, as LXC prints it); none for creation and destruction, which LXC
     * does not report.
     */
    static Optional<String> line(ContainerEvent e) {
        return switch (e.kind()) {
            case STATE -> Optional.of("'" + e.name() + "' changed state to [" + e.state() + "]");
            case EXITED -> {
                int status = e.exitStatus().orElse(0);
                yield Optional.of("'" + e.name() + "' exited with status [" + (status > 128 ? status - 128 : status)
                        + "]");
            }
            default -> Optional.empty();
        };
    }
}
