package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-unfreeze}: thaws a frozen container. As LXC: status 0 when it runs thawed, also when it was not frozen
 * or is stopped; 1 with {@code Failed to unfreeze LXCPATH:NAME} when it is missing or cannot be thawed.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=unfreeze" })
public final class UnfreezeCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-unfreeze --name=NAME

            lxc-unfreeze unfreezes a container with the identifier NAME

            Options :
              -n, --name=NAME   NAME of the container
              --rcfile=FILE     Load configuration file FILE

            """ + COMMON_HELP + """
            See the lxc-unfreeze man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(NAME, Option.withArgument("rcfile", "RCFILE"));

    @Activate
    public UnfreezeCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public UnfreezeCommand(ContainerRuntime runtime, String version) {
        super("lxc-unfreeze", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:unfreeze}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object unfreeze(CommandSession session, @Descriptor("lxc-unfreeze options") String... args) {
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
            error(io, n, "Failed to unfreeze " + lxcpath + ":" + n);
            return 1;
        }
        try {
            runtime.unfreeze(lxcpath, n);
        } catch (ContainerNotRunningException e) {
            return 0;   // LXC: a stopped container is not frozen, nothing to do
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            error(io, n, "Failed to unfreeze " + lxcpath + ":" + n);
            return 1;
        }
        return 0;
    }
}
