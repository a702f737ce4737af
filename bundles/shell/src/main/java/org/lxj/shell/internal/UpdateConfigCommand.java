package org.lxj.shell.internal;

import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.shell.internal.cli.GetOpt;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.lxj.shell.internal.cli.UsageException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-update-config -c FILE}: rewrites a configuration's pre-2.1 keys through the runtime, which
 * keeps {@code FILE.backup}. Silent on success, as LXC's script is. Its function name has a dash, which
 * Gogo accepts for a {@link Function} service (there is no method named after it, so {@code help} cannot
 * describe it; {@code lxc:update-config --help} does).
 */
@Component(service = Function.class,
        property = { "osgi.command.scope=lxc", "osgi.command.function=update-config" })
public final class UpdateConfigCommand extends LxcCommand {

    static final String HELP = """
            lxc-update-config -h|--help [-c|--config]
            config: the container configuration to update
            """;

    private static final GetOpt GETOPT = new GetOpt(List.of(
            Option.withArgument('c', "config", "CONFIG"),
            Option.flag('h', "help")));

    private final ContainerRuntime runtime;

    @Activate
    public UpdateConfigCommand(@Reference ContainerRuntime runtime) {
        super("lxc-update-config");
        this.runtime = runtime;
    }

    @Override
    public int run(CommandIo io, List<String> args) {
        ParsedArgs parsed;
        try {
            parsed = GETOPT.parse(args);
        } catch (UsageException e) {
            error(io, e.getMessage());
            return 1;
        }
        if (args.isEmpty() || parsed.has("help")) {
            io.out().print(HELP);
            return 0;
        }
        Optional<String> file = parsed.last("config");
        if (file.isEmpty()) {
            error(io, "No configuration file specified");
            io.err().print(HELP);
            return 1;
        }
        try {
            runtime.updateConfig(io.resolve(file.get()));
        } catch (LxjException e) {
            error(io, String.valueOf(e.getMessage()));
            return e.exitStatus();
        }
        return 0;
    }
}
