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
 * {@code lxc-freeze}: freezes every process of a running container. As LXC: status 0 when frozen (also when it
 * already was), 1 with {@code Failed to freeze LXCPATH:NAME} when it is missing, stopped or cannot be frozen.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=freeze" })
public final class FreezeCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-freeze --name=NAME

            lxc-freeze freezes a container with the identifier NAME

            Options :
              -n, --name=NAME      NAME of the container
              --rcfile=FILE        Load configuration file FILE

            """ + COMMON_HELP + """
            See the lxc-freeze man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(NAME, Option.withArgument("rcfile", "RCFILE"));

    @Activate
    public FreezeCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public FreezeCommand(ContainerRuntime runtime, String version) {
        super("lxc-freeze", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:freeze}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object freeze(CommandSession session, @Descriptor("lxc-freeze options") String... args) {
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
            error(io, n, "Failed to freeze " + lxcpath + ":" + n);
            return 1;
        }
        try {
            runtime.freeze(lxcpath, n);
        } catch (ContainerNotRunningException e) {
            error(io, n, "Failed to freeze " + lxcpath + ":" + n);
            return 1;
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            error(io, n, "Failed to freeze " + lxcpath + ":" + n);
            return 1;
        }
        return 0;
    }
}
