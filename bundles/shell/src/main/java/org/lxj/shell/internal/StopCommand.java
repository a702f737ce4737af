package org.lxj.shell.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.api.StopOptions;
import org.lxj.api.command.DirectCommand;
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
 * {@code lxc-stop}: a clean shutdown (then a kill after the timeout), a reboot ({@code -r}) or a kill
 * ({@code -k}). Exit status 0 when stopped, 1 on an error, 2 when the container is not running, as in LXC.
 * {@code --nolock} is accepted with {@code -k} and changes nothing: LXJ's locks never hang on a dead holder.
 */
@Component(service = { Function.class, DirectCommand.class }, property = { "osgi.command.scope=lxc",
        "osgi.command.function=stop", DirectCommand.NAME_PROPERTY + "=lxc-stop" })
public final class StopCommand extends OptionCommand implements DirectCommand {

    static final String HELP = """
            Usage: lxc-stop --name=NAME

            lxc-stop stops a container with the identifier NAME

            Options :
              -n, --name=NAME   NAME of the container
              -r, --reboot      reboot the container
              -W, --nowait      don't wait for shutdown or reboot to complete
              -t, --timeout=T   wait T seconds before hard-stopping
              -k, --kill        kill container rather than request clean shutdown
                  --nolock      Accepted for LXC compatibility (with -k)
                  --nokill      Only request clean shutdown, don't force kill after timeout

            """ + COMMON_HELP + """
            See the lxc-stop man page for further information.

            """;

    private static final Logger LOG = LoggerFactory.getLogger(StopCommand.class);

    private static final List<Option> OPTIONS = List.of(
            Option.flag('r', "reboot"),
            Option.flag('W', "nowait"),
            Option.withArgument('t', "timeout", "TIMEOUT"),
            Option.flag('k', "kill"),
            Option.flag("nokill"),
            Option.flag("nolock"),
            NAME);

    @Activate
    public StopCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public StopCommand(ContainerRuntime runtime, String version) {
        super("lxc-stop", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:stop}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object stop(CommandSession session, @Descriptor("lxc-stop options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        Optional<String> given = args.last("timeout");
        Integer timeout = given.isPresent() ? integer("--timeout", given.get()) : null;
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        String n = name.get();
        StopOptions options;
        try {
            options = options(args, timeout);
        } catch (IllegalArgumentException conflict) {
            error(io, n, conflict.getMessage());
            return 1;
        }
        Path lxcpath = lxcpath(io, args);
        // LXC says "not running" for a container that is not defined either.
        if (runtime.find(lxcpath, n).filter(c -> c.state().isActive()).isEmpty()) {
            error(io, n, n + " is not running");
            return 2;
        }
        try {
            runtime.stop(lxcpath, n, options);
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            return e.exitStatus();
        }
        LOG.info("Stopped container {}", n);
        return 0;
    }

    /**
     * The options as LXC's {@code lxc-stop} settles them: the timeout defaults to 60 s, to 0 with {@code -k}
     * or {@code -W}; {@code -1} waits for ever.
     *
     * @throws IllegalArgumentException with LXC's message for a combination it refuses
     */
    static StopOptions options(ParsedArgs args, Integer timeout) {
        boolean kill = args.has("kill");
        int seconds = timeout != null ? timeout : kill ? 0 : (int) StopOptions.DEFAULT_TIMEOUT.toSeconds();
        if (args.has("nowait")) {
            seconds = 0;
        }
        if (!kill && seconds < -1) {
            throw new IllegalArgumentException("Invalid timeout");
        }
        if (kill && args.has("nokill")) {
            throw new IllegalArgumentException("-k can't be used with --nokill");
        }
        if (kill && args.has("reboot")) {
            throw new IllegalArgumentException("-k can't be used with -r");
        }
        if (kill && seconds != 0) {
            throw new IllegalArgumentException("-k doesn't allow timeouts");
        }
        if (args.has("nolock") && !kill) {
            throw new IllegalArgumentException("--nolock may only be used with -k");
        }
        return new StopOptions(args.has("reboot"), kill, args.has("nokill"), args.has("nowait"),
                Duration.ofSeconds(seconds));
    }
}
