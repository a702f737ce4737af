package org.lxj.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.UnshareOptions;
import org.lxj.shell.internal.cli.BadArgumentException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-unshare}: runs COMMAND in new namespaces of the host ({@code -s MOUNT|PID|UTSNAME|IPC|USER|NETWORK})
 * and exits with its status (0 at once with {@code -d}). {@code -H} sets the hostname of a new UTS namespace,
 * {@code -M} mounts a fresh {@code /proc}, {@code /dev/shm} and {@code /dev/mqueue}, {@code -u} names the user
 * (a number or a name of the host's {@code /etc/passwd}). Moving host interfaces in ({@code -i}) is refused: it
 * belongs to the network backends. Unlike LXC 5.0.2, whose {@code lxc-unshare} reports any non-zero status as 1
 * with "Failed to wait", the command's own status is returned.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=unshare" })
public final class UnshareCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-unshare -s NAMESPACES COMMAND

            lxc-unshare run a COMMAND in a new set of NAMESPACES

            Options :
              -s, --namespaces=FLAGS
                                ORed list of flags to unshare:
                                MOUNT, PID, UTSNAME, IPC, USER, NETWORK
              -u, --user=USERID
                                new id to be set if -s USER is specified
              -H, --hostname=HOSTNAME
                                Set the hostname in the container
              -i, --ifname=IFNAME
                                Interface name to be moved into container (presumably with NETWORK unsharing set)
              -d, --daemon      Daemonize (do not wait for container to exit)
              -M, --remount     Remount default fs inside container (/proc /dev/shm /dev/mqueue)

            """ + COMMON_HELP + """
            See the lxc-unshare man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(
            Option.withArgument('s', "namespaces", "FLAGS"),
            Option.withArgument('u', "user", "USERID"),
            Option.withArgument('H', "hostname", "HOSTNAME"),
            Option.withArgument('i', "ifname", "IFNAME"),
            Option.flag('d', "daemon"),
            Option.flag('M', "remount"));
    private static final Set<String> NAMESPACES = Set.of("MOUNT", "PID", "UTSNAME", "IPC", "USER", "NETWORK");

    private final Path passwd;

    @Activate
    public UnshareCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString(), Path.of("/etc/passwd"));
    }

    /** @param passwd the host's user database, for {@code -u NAME} */
    public UnshareCommand(ContainerRuntime runtime, String version, Path passwd) {
        super("lxc-unshare", runtime, OPTIONS, HELP, version);
        this.passwd = passwd;
    }

    @Descriptor(HELP)
    public Object unshare(CommandSession session, @Descriptor("lxc-unshare options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        Set<String> namespaces = new LinkedHashSet<>();
        for (String list : args.all("namespaces")) {
            for (String n : list.split("\\|")) {
                if (!NAMESPACES.contains(n.trim().toUpperCase(Locale.ROOT))) {
                    throw new BadArgumentException("Invalid namespace \"" + n + "\"");
                }
                namespaces.add(n.trim().toUpperCase(Locale.ROOT));
            }
        }
        List<String> command = args.positionals();
        command = new java.util.ArrayList<>(command);
        command.addAll(args.afterDashes());
        if (command.isEmpty()) {
            error(io, "A command to execute in the new namespace is required");
            return 1;
        }
        if (namespaces.isEmpty()) {
            error(io, "A namespace to execute command is required");
            return 1;
        }
        List<String> ifnames = args.all("ifname");
        if (!ifnames.isEmpty()) {
            if (!namespaces.contains("NETWORK")) {
                error(io, "-i <interfacename> needs -s NETWORK option");
                return 1;
            }
            error(io, "Moving interface \"" + ifnames.get(0) + "\" into the new network namespace is not supported: "
                    + "it needs a network backend, and none is installed");
            return 1;
        }
        Optional<String> hostname = args.last("hostname");
        if (hostname.isPresent() && !namespaces.contains("UTSNAME")) {
            error(io, "-H <hostname> needs -s UTSNAME option");
            return 1;
        }
        if (args.has("remount") && !namespaces.contains("MOUNT")) {
            error(io, "-M needs -s MOUNT option");
            return 1;
        }
        OptionalLong uid = OptionalLong.empty();
        if (args.last("user").isPresent()) {
            String u = args.last("user").get();
            Optional<Long> id = user(u);
            if (id.isEmpty()) {
                error(io, "Invalid user \"" + u + "\": not a number and not in \"" + passwd + "\"");
                return 1;
            }
            uid = OptionalLong.of(id.get());
        }
        UnshareOptions options = new UnshareOptions(namespaces, uid, hostname, args.has("remount"),
                args.has("daemon"), command);
        return runtime.unshare(options, io.stdio());
    }

    /** A uid by number or by name in the host's passwd file. */
    Optional<Long> user(String value) {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit) && value.length() < 11) {
            return Optional.of(Long.parseLong(value));
        }
        try {
            for (String line : Files.readAllLines(passwd)) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[0].equals(value) && !f[2].isEmpty() && f[2].chars().allMatch(Character::isDigit)) {
                    return Optional.of(Long.parseLong(f[2]));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }
}
