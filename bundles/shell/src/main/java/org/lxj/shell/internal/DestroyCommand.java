package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code lxc-destroy}: removes a container, its snapshots too with {@code -s}. Silent on success, as LXC is. */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=destroy" })
public final class DestroyCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-destroy --name=NAME [-f] [-P lxcpath]

            lxc-destroy destroys a container with the identifier NAME

            Options :
              -n, --name=NAME   NAME of the container
              -s, --snapshots   destroy including all snapshots
              -f, --force       stop and destroy the container if it's still running

            """ + COMMON_HELP + """
            See the lxc-destroy man page for further information.

            """;

    private static final Logger LOG = LoggerFactory.getLogger(DestroyCommand.class);

    private static final List<Option> OPTIONS = List.of(
            Option.flag('f', "force"),
            Option.flag('s', "snapshots"),
            NAME);

    @Activate
    public DestroyCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public DestroyCommand(ContainerRuntime runtime, String version) {
        super("lxc-destroy", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:destroy}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object destroy(CommandSession session, @Descriptor("lxc-destroy options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) {
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        String n = name.get();
        Path lxcpath = lxcpath(io, args);
        if (runtime.find(lxcpath, n).isEmpty()) {
            error(io, n, "Container is not defined");
            return 1;
        }
        try {
            runtime.destroy(lxcpath, n, new DestroyOptions(args.has("force"), args.has("snapshots")));
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            return e.exitStatus();
        }
        LOG.info("Destroyed container {}", n);
        return 0;
    }
}
