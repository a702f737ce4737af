package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.AttachOptions;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.shell.internal.cli.BadArgumentException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-attach}: runs {@code COMMAND} (the user's login shell by default) in a running container's
 * namespaces and exits with its status. A container that is not running is an error with status 1, as in LXC
 * (not 2, which the command itself may return). {@code -s} implies {@code -e} with every privilege, as in LXC.
 * {@code -a}, {@code -L}, {@code -f} and {@code -c} are refused, not ignored.
 * <p>
 * Standard streams: as {@link ExecuteCommand}'s, the command's own fds 0–2 only when the one-command launcher
 * set {@value CommandIo#INHERIT_VARIABLE}; otherwise this command's streams, relayed.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=attach" })
public final class AttachCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-attach --name=NAME [-- COMMAND]

            Execute the specified COMMAND - enter the container NAME

            Options :
              -n, --name=NAME   NAME of the container
              -e, --elevated-privileges=PRIVILEGES
                                Use elevated privileges instead of those of the
                                container. If you don't specify privileges to be
                                elevated as OR'd list: CAP, CGROUP and LSM (capabilities,
                                cgroup and restrictions, respectively) then all of them
                                will be elevated.
                                WARNING: This may leak privileges into the container.
                                Use with care.
              -a, --arch=ARCH   Not supported by LXJ
              -s, --namespaces=FLAGS
                                Don't attach to all the namespaces of the container
                                but just to the following OR'd list of flags:
                                MOUNT, PID, UTSNAME, IPC, USER, NETWORK, CGROUP or TIME.
                                WARNING: Using -s implies -e with all privileges
                                elevated, it may therefore leak privileges into the
                                container. Use with care.
              -R, --remount-sys-proc
                                Remount /sys and /proc if not attaching to the
                                mount namespace when using -s in order to properly
                                reflect the correct namespace context. See the
                                lxc-attach(1) manual page for details.
                  --clear-env   Clear all environment variables before attaching.
                                The attached shell/program will start with only
                                container=lxc set.
                  --keep-env    Keep all current environment variables. This
                                is the current default behaviour, but is likely to
                                change in the future.
              -L, --pty-log=FILE
                                Not supported by LXJ
              -v, --set-var     Set an additional variable that is seen by the
                                attached program in the container. May be specified
                                multiple times.
                  --keep-var    Keep an additional environment variable. Only
                                applicable if --clear-env is specified. May be used
                                multiple times.
              -f, --rcfile=FILE
                                Not supported by LXJ
              -u, --uid=UID     Execute COMMAND with UID inside the container
              -g, --gid=GID     Execute COMMAND with GID inside the container
              -c, --context=context
                                Not supported by LXJ

            """ + COMMON_HELP + """
            See the lxc-attach man page for further information.

            """;

    /** LXC's namespace flag names, by the names {@code /proc/PID/ns} gives them (also accepted). */
    static final Map<String, String> NAMESPACES = Map.of("mnt", "MOUNT", "pid", "PID", "uts", "UTSNAME",
            "ipc", "IPC", "user", "USER", "net", "NETWORK", "cgroup", "CGROUP", "time", "TIME");
    /** What {@code -e} may elevate. */
    static final List<String> PRIVILEGES = List.of("CAP", "CGROUP", "LSM");

    private static final List<Option> OPTIONS = List.of(
            Option.withOptionalArgument('e', "elevated-privileges", "ELEVATED-PRIVILEGES"),
            Option.withArgument('a', "arch", "ARCH"),
            Option.withArgument('s', "namespaces", "NAMESPACES"),
            Option.flag('R', "remount-sys-proc"),
            Option.flag("clear-env"),
            Option.flag("keep-env"),
            Option.withArgument("keep-var", "KEEP-VAR"),
            Option.withArgument('v', "set-var", "SET-VAR"),
            Option.withArgument('L', "pty-log", "PTY-LOG"),
            Option.withArgument('f', "rcfile", "RCFILE"),
            Option.withArgument('u', "uid", "UID"),
            Option.withArgument('g', "gid", "GID"),
            Option.withArgument('c', "context", "CONTEXT"),
            NAME);

    @Activate
    public AttachCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public AttachCommand(ContainerRuntime runtime, String version) {
        super("lxc-attach", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:attach}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object attach(CommandSession session, @Descriptor("lxc-attach options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        AttachOptions options = options(args);
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        String n = name.get();
        if (refuseUnsupported(io, n, args, "arch", "pty-log", "rcfile", "context")) {
            return 1;
        }
        Path lxcpath = lxcpath(io, args);
        if (runtime.find(lxcpath, n).filter(c -> c.state().isActive()).isEmpty()) {
            return notRunning(io, n);
        }
        try {
            return runtime.attach(lxcpath, n, options, io.stdio());
        } catch (ContainerNotRunningException stoppedMeanwhile) {
            return notRunning(io, n);
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            return 1;
        }
    }

    /** LXC's two lines when there is no init to attach to; status 1, never 2, which a command may return. */
    private int notRunning(CommandIo io, String name) {
        error(io, name, "Failed to get init pid");
        error(io, name, "Failed to get attach context");
        return 1;
    }

    /** The options as the command line gives them; malformed ids, namespaces or privileges fail the parse. */
    static AttachOptions options(ParsedArgs args) throws BadArgumentException {
        Set<String> namespaces = new LinkedHashSet<>();
        for (String flags : args.all("namespaces")) {
            namespaces.addAll(namespaces(flags));
        }
        Set<String> elevated = new LinkedHashSet<>();
        for (String privileges : args.all("elevated-privileges")) {
            elevated.addAll(privileges(privileges));
        }
        if (args.has("namespaces")) {
            elevated.addAll(PRIVILEGES);
        }
        boolean clearEnv = args.lastOf("clear-env", "keep-env").filter("clear-env"::equals).isPresent();
        OptionalInt uid = id(args, "uid");
        OptionalInt gid = id(args, "gid");
        return new AttachOptions(command(args), namespaces, elevated, args.has("remount-sys-proc"), clearEnv,
                args.all("set-var"), args.all("keep-var"), uid, gid);
    }

    /** {@code -s FLAGS}: {@code |}-separated LXC flag names, or {@code /proc/PID/ns} names in any case. */
    static Set<String> namespaces(String flags) throws BadArgumentException {
        Set<String> names = new LinkedHashSet<>();
        for (String flag : flags.split("\\|")) {
            if (flag.isEmpty()) {
                continue;
            }
            String name = NAMESPACES.containsValue(flag) ? flag : NAMESPACES.get(flag.toLowerCase(Locale.ROOT));
            if (name == null) {
                throw new BadArgumentException("Invalid namespace \"" + flag + "\"");
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw new BadArgumentException("No namespace in \"" + flags + "\"");
        }
        return names;
    }

    /** {@code -e[PRIVILEGES]}: {@code |}-separated CAP, CGROUP, LSM; none given elevates all of them. */
    static Set<String> privileges(String privileges) throws BadArgumentException {
        if (privileges.isEmpty()) {
            return new LinkedHashSet<>(PRIVILEGES);
        }
        Set<String> names = new LinkedHashSet<>();
        for (String p : privileges.split("\\|")) {
            if (p.isEmpty()) {
                continue;
            }
            if (!PRIVILEGES.contains(p)) {
                throw new BadArgumentException("Invalid privilege \"" + p + "\"");
            }
            names.add(p);
        }
        return names;
    }
}
