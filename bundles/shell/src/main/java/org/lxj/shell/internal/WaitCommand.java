package org.lxj.shell.internal;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.ContainerState;
import org.lxj.shell.internal.cli.BadArgumentException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-wait}: blocks until the container is in one of the {@code |}-separated states ({@code -s}), for
 * at most {@code -t} seconds (for ever by default or when negative). Exit status 0 when reached, 1 when not.
 * As in LXC the container need not be defined yet, and state names are upper case. Unlike LXC, which reads
 * {@code -t abc} as 0, a timeout that is not a number is refused.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=wait" })
public final class WaitCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-wait --name=NAME --state=STATE

            lxc-wait waits for NAME container state to reach STATE

            Options :
              -n, --name=NAME   NAME of the container
              -s, --state=STATE ORed states to wait for
                                STOPPED, STARTING, RUNNING, STOPPING,
                                ABORTING, FREEZING, FROZEN, THAWED
              -t, --timeout=TMO Seconds to wait for state changes

            """ + COMMON_HELP + """
            See the lxc-wait man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(
            Option.withArgument('s', "state", "STATE"),
            Option.withArgument('t', "timeout", "TIMEOUT"),
            NAME);

    @Activate
    public WaitCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public WaitCommand(ContainerRuntime runtime, String version) {
        super("lxc-wait", runtime, OPTIONS, HELP, version);
    }

    /**
     * Here for {@code help lxc:wait}, which looks the method up by the function's name (an overload of
     * {@link Object#wait()}, nothing else); Gogo calls {@link #execute} with the raw arguments.
     */
    @Descriptor(HELP)
    public Object wait(CommandSession session, @Descriptor("lxc-wait options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        Optional<String> timeout = args.last("timeout");
        Duration wait = Duration.ofSeconds(timeout.isPresent() ? integer("--timeout", timeout.get()) : -1);
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        Optional<String> states = args.last("state");
        if (states.isEmpty()) {
            throw new BadArgumentException("Missing state option to wait for");
        }
        Set<ContainerState> wanted = EnumSet.noneOf(ContainerState.class);
        for (String s : states.get().split("\\|")) {
            if (s.isEmpty()) {
                continue;
            }
            Optional<ContainerState> state = state(s);
            if (state.isEmpty()) {
                error(io, name.get(), "invalid state '" + s + "'");
                return 1;
            }
            wanted.add(state.get());
        }
        if (wanted.isEmpty()) {
            throw new BadArgumentException("No state to wait for in \"" + states.get() + "\"");
        }
        return runtime.waitFor(lxcpath(io, args), name.get(), wanted, wait) ? 0 : 1;
    }

    /** A state by its exact LXC name; LXC's {@code lxc-wait} compares case-sensitively. */
    static Optional<ContainerState> state(String name) {
        for (ContainerState s : ContainerState.values()) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
