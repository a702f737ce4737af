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
 * {@code lxc-cgroup -n NAME FILE [VALUE]}: prints one file of a running container's payload cgroup (its content and
 * a newline, as LXC prints it) or writes {@code VALUE} to it. Status 1 with LXC's messages when the container is
 * not running, the file's controller is unknown or the kernel refuses; the cause is printed first.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=cgroup" })
public final class LxcCgroupCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-cgroup --name=NAME state-object [value]

            Get or set the value of a state object (for example, 'cpuset.cpus')
            in the container's cgroup for the corresponding subsystem.

            Options :
              -n, --name=NAME      NAME of the container
              --rcfile=FILE        Load configuration file FILE

            """ + COMMON_HELP + """
            See the lxc-cgroup man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(NAME, Option.withArgument("rcfile", "RCFILE"));

    @Activate
    public LxcCgroupCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public LxcCgroupCommand(ContainerRuntime runtime, String version) {
        super("lxc-cgroup", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:cgroup}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object cgroup(CommandSession session, @Descriptor("lxc-cgroup options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) {
        Optional<String> name = name(args);
        List<String> rest = command(args);
        if (name.isEmpty() || rest.isEmpty()) {
            // LXC's checker refuses a missing state object before it looks at the name
            error(io, name.isEmpty() && rest.isEmpty() && args.positionals().isEmpty() ? "No container name specified"
                    : "could not parse command line");
            return 1;
        }
        String n = name.get();
        Path lxcpath = lxcpath(io, args);
        String file = rest.get(0);
        if (runtime.find(lxcpath, n).filter(c -> c.state().isActive()).isEmpty()) {
            error(io, n, "'" + lxcpath + ":" + n + "' is not running");
            return 1;
        }
        if (rest.size() > 1) {
            String value = rest.get(1);
            try {
                runtime.cgroupSet(lxcpath, n, file, value);
            } catch (ContainerNotRunningException e) {
                error(io, n, "'" + lxcpath + ":" + n + "' is not running");
                return 1;
            } catch (LxjException e) {
                error(io, n, String.valueOf(e.getMessage()));
                error(io, n, "Failed to assign '" + value + "' value to '" + file + "' for '" + n + "'");
                return 1;
            }
            return 0;
        }
        String content;
        try {
            content = runtime.cgroupGet(lxcpath, n, file);
        } catch (ContainerNotRunningException e) {
            error(io, n, "'" + lxcpath + ":" + n + "' is not running");
            return 1;
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            error(io, n, "Failed to retrieve value of '" + file + "' for '" + lxcpath + ":" + n + "'");
            return 1;
        }
        io.out().print(content + "\n");
        return 0;
    }
}
