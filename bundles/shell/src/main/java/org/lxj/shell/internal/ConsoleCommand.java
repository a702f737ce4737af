package org.lxj.shell.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ConsoleDeniedException;
import org.lxj.api.ConsoleSession;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.linux.Syscalls;
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
 * {@code lxc-console}: connects the caller's terminal to a running container's console ({@code -t 0}) or one of its
 * ttys (default: the first free one), in raw mode, until the escape ({@code Ctrl+a} unless {@code -e}) and
 * {@code q}. The window size follows the caller's.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=console" })
public final class ConsoleCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-console --name=NAME [--tty NUMBER]

            lxc-console logs on the container with the identifier NAME

            Options :
              -n, --name=NAME      NAME of the container
              -t, --tty=NUMBER     console tty number
              -e, --escape=PREFIX  prefix for escape command
              --rcfile=FILE        Load configuration file FILE

            """ + COMMON_HELP + """
            See the lxc-console man page for further information.

            """;

    /** Ctrl+a, LXC's escape. */
    static final int DEFAULT_ESCAPE = 1;

    private static final Logger LOG = LoggerFactory.getLogger(ConsoleCommand.class);

    private static final List<Option> OPTIONS = List.of(
            Option.withArgument('t', "tty", "TTY"),
            Option.withArgument('e', "escape", "ESCAPE"),
            Option.withArgument("rcfile", "RCFILE"),
            NAME);

    private final ConsoleViewers viewers;

    @Activate
    public ConsoleCommand(@Reference ContainerRuntime runtime, @Reference Syscalls sys, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString(), new ConsoleViewers(Optional.of(sys)));
    }

    ConsoleCommand(ContainerRuntime runtime, String version, ConsoleViewers viewers) {
        super("lxc-console", runtime, OPTIONS, HELP, version);
        this.viewers = viewers;
    }

    /** Here for {@code help lxc:console}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object console(CommandSession session, @Descriptor("lxc-console options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        int tty = -1;
        if (args.last("tty").isPresent()) {
            tty = integer("tty", args.last("tty").get());
            if (tty < 0) {
                throw new BadArgumentException("Invalid tty number " + tty);
            }
        }
        int escape = args.last("escape").isPresent() ? escape(args.last("escape").get()) : DEFAULT_ESCAPE;
        String n = name.get();
        return connect(runtime, viewers.of(io), io, lxcpath(io, args), n, tty, escape, false,
                message -> error(io, n, message)) == null ? 1 : 0;
    }

    /**
     * Connects {@code tty} of a running container to the viewer and relays until the viewer detaches, the container
     * stops or (unless {@code untilStopped}) the input ends. Prints LXC's banner when {@code escape} is set. With
     * {@code untilStopped} ({@code lxc-start -F}) the console's buffered output comes first.
     *
     * @param error prints an error in the calling tool's form
     * @return how the relay ended, or null after an error was printed
     */
    static ConsoleRelay.End connect(ContainerRuntime rt, ConsoleViewer viewer, CommandIo io, Path lxcpath,
            String name, int tty, int escape, boolean untilStopped, Consumer<String> error) {
        Optional<ConsoleViewer.Size> size = viewer.size();
        ConsoleSession session;
        try {
            // a foreground start (untilStopped) sees the console from its first byte: the buffered output first
            session = rt.console(lxcpath, name, tty, size.map(ConsoleViewer.Size::rows).orElse(0),
                    size.map(ConsoleViewer.Size::columns).orElse(0), untilStopped);
        } catch (ContainerNotRunningException e) {
            error.accept(name + " is not running");
            return null;
        } catch (ConsoleDeniedException e) {
            error.accept(String.valueOf(e.getMessage()));
            return null;
        } catch (LxjException e) {
            error.accept(String.valueOf(e.getMessage()));
            return null;
        }
        if (escape > 0) {
            char key = (char) ('a' + escape - 1);
            io.err().print("\nConnected to tty " + session.tty() + "\nType <Ctrl+" + key + " q> to exit the console, "
                    + "<Ctrl+" + key + " Ctrl+" + key + "> to enter Ctrl+" + key + " itself\n");
            io.err().flush();
        }
        try {
            ConsoleRelay.End end = new ConsoleRelay(session, viewer, escape, untilStopped).run();
            LOG.debug("{}: console on tty {} ended: {}", name, session.tty(), end);
            return end;
        } catch (IOException e) {
            error.accept("Failed to relay tty " + session.tty() + ": " + e.getMessage());
            return null;
        }
    }

    /** {@code -e}: {@code ^b} or {@code b} for Ctrl+b, any letter. */
    static int escape(String value) throws BadArgumentException {
        String v = value.startsWith("^") ? value.substring(1) : value;
        if (v.length() != 1 || !Character.isLetter(v.charAt(0)) || v.charAt(0) > 'z') {
            throw new BadArgumentException("Invalid escape \"" + value + "\": expected a letter, as ^a");
        }
        return Character.toLowerCase(v.charAt(0)) - 'a' + 1;
    }
}
