package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.apache.felix.service.command.Job;
import org.lxj.api.AttachOptions;
import org.lxj.api.AttachTerminal;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.api.Stdio;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
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
 * {@code -a}, {@code -f} and {@code -c} are refused, not ignored.
 * <p>
 * Standard streams: as {@link ExecuteCommand}'s, the command's own fds 0–2 only when the one-command launcher
 * set {@value CommandIo#INHERIT_VARIABLE}; otherwise this command's streams, relayed.
 * <p>
 * A terminal, as LXC decides: when any of the caller's fds 0–2 is a terminal (the fds the daemon or the
 * one-command mode named, checked with {@code TCGETS}; in the interactive shell, its JLine terminal) the command
 * runs on a new pty of the container, which replaces those of its fds that are terminals; {@code -L FILE}
 * appends the pty's output to FILE. While it runs, {@value #RESIZE_VARIABLE} holds a {@link Runnable} that makes
 * the pty follow the caller's window (the JLine shell uses its WINCH handler instead).
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
                                Log pty output to FILE
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
    /** The session variable the daemon runs when the client's window changes (SIGWINCH). */
    static final String RESIZE_VARIABLE = "lxj.terminal.resize";
    /** ioctl TCGETS: succeeds on a terminal only. */
    private static final long TCGETS = 0x5401;

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

    private final Optional<Syscalls> sys;

    @Activate
    public AttachCommand(@Reference ContainerRuntime runtime, @Reference Syscalls sys, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString(), Optional.of(sys));
    }

    /** Without syscalls handed fds are never taken for terminals (tests). */
    public AttachCommand(ContainerRuntime runtime, String version) {
        this(runtime, version, Optional.empty());
    }

    AttachCommand(ContainerRuntime runtime, String version, Optional<Syscalls> sys) {
        super("lxc-attach", runtime, OPTIONS, HELP, version);
        this.sys = sys;
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
        if (refuseUnsupported(io, n, args, "arch", "rcfile", "context")) {
            return 1;
        }
        Path lxcpath = lxcpath(io, args);
        if (runtime.find(lxcpath, n).filter(c -> c.state().isActive()).isEmpty()) {
            return notRunning(io, n);
        }
        Optional<Path> log = args.last("pty-log").map(io::resolve);
        try {
            return attach(io, lxcpath, n, options, log);
        } catch (ContainerNotRunningException stoppedMeanwhile) {
            return notRunning(io, n);
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            return 1;
        }
    }

    /** With a pty when a std fd of the caller is a terminal, else as before. */
    private int attach(CommandIo io, Path lxcpath, String name, AttachOptions options, Optional<Path> log) {
        Optional<CommandSession> session = currentSession();
        if (io.fds().isPresent()) {
            Stdio.Fds fds = io.fds().get();
            boolean in = isTty(fds.in());
            boolean out = isTty(fds.out());
            boolean err = isTty(fds.err());
            if (!in && !out && !err) {
                return runtime.attach(lxcpath, name, options, io.stdio());
            }
            AtomicReference<AttachTerminal.Resizer> resizer = new AtomicReference<>();
            Runnable follow = () -> {
                AttachTerminal.Resizer r = resizer.get();
                if (r != null) {
                    r.resize();
                }
            };
            session.ifPresent(s -> s.put(RESIZE_VARIABLE, follow));
            try {
                return runtime.attach(lxcpath, name, options, io.stdio(),
                        new AttachTerminal(in, out, err, log, 0, 0, resizer::set));
            } finally {
                session.ifPresent(s -> {
                    if (s.get(RESIZE_VARIABLE) == follow) {
                        s.put(RESIZE_VARIABLE, null);
                    }
                });
            }
        }
        Object terminal = session.map(s -> s.get(TerminalWidth.TERMINAL_VARIABLE)).orElse(null);
        if (terminal != null && session.map(TerminalWidth::of).orElse(0) > 0) {
            try {
                return JLineAttach.attach(runtime, terminal, io, lxcpath, name, options, log);
            } catch (NoClassDefFoundError jlineMissing) {
                // no JLine: relayed streams without a pty
            }
        }
        return runtime.attach(lxcpath, name, options, io.stdio());
    }

    private boolean isTty(int fd) {
        if (fd < 0 || sys.isEmpty()) {
            return false;
        }
        try {
            sys.get().ioctlBuffer(fd, TCGETS, new byte[64]);
            return true;
        } catch (SyscallException notATerminal) {
            return false;
        }
    }

    private static Optional<CommandSession> currentSession() {
        Job job = Job.Utils.current();
        return job == null ? Optional.empty() : Optional.ofNullable(job.session());
    }

    /**
     * The interactive shell: its JLine terminal is the caller's terminal behind relayed streams. Raw while the
     * command runs, its size given to the pty, its WINCH handler resizing the pty. Kept apart so that JLine's
     * classes load only when a JLine terminal is there.
     */
    private static final class JLineAttach {
        static int attach(ContainerRuntime runtime, Object t, CommandIo io, Path lxcpath, String name,
                AttachOptions options, Optional<Path> log) {
            org.jline.terminal.Terminal terminal = (org.jline.terminal.Terminal) t;
            org.jline.terminal.Size size = terminal.getSize();
            int rows = Math.max(1, Math.min(0xFFFF, size.getRows()));
            int columns = Math.max(1, Math.min(0xFFFF, size.getColumns()));
            AtomicReference<AttachTerminal.Resizer> resizer = new AtomicReference<>();
            org.jline.terminal.Terminal.SignalHandler previous = terminal.handle(org.jline.terminal.Terminal.Signal.WINCH,
                    signal -> {
                        AttachTerminal.Resizer r = resizer.get();
                        org.jline.terminal.Size now = terminal.getSize();
                        if (r != null && now.getRows() > 0 && now.getColumns() > 0) {
                            r.resize(Math.min(0xFFFF, now.getRows()), Math.min(0xFFFF, now.getColumns()));
                        }
                    });
            org.jline.terminal.Attributes saved = terminal.enterRawMode();
            // enterRawMode keeps ISIG: Ctrl+C must reach the command's pty as a byte, not interrupt this command
            org.jline.terminal.Attributes raw = terminal.getAttributes();
            raw.setLocalFlag(org.jline.terminal.Attributes.LocalFlag.ISIG, false);
            raw.setOutputFlag(org.jline.terminal.Attributes.OutputFlag.OPOST, false);
            raw.setControlChar(org.jline.terminal.Attributes.ControlChar.VMIN, 1);
            raw.setControlChar(org.jline.terminal.Attributes.ControlChar.VTIME, 0);
            terminal.setAttributes(raw);
            try {
                // the terminal's own byte streams: the session's reader would hold back escape sequences
                Stdio stdio = new Stdio(terminal.input(), terminal.output(), terminal.output());
                return runtime.attach(lxcpath, name, options, stdio,
                        new AttachTerminal(true, true, true, log, rows, columns, resizer::set));
            } finally {
                terminal.flush();
                terminal.setAttributes(saved);
                terminal.handle(org.jline.terminal.Terminal.Signal.WINCH, previous);
            }
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
