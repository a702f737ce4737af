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
 * {@code lxc-freeze} and {@code lxc-unfreeze}, one command taking its {@link Verb}. As LXC: {@code lxc-freeze}
 * freezes every process of a running container, status 0 when frozen (also when it already was), 1 with
 * {@code Failed to freeze LXCPATH:NAME} when it is missing, stopped or cannot be frozen; {@code lxc-unfreeze}
 * thaws it, status 0 when it runs thawed, also when it was not frozen or is stopped, 1 with
 * {@code Failed to unfreeze LXCPATH:NAME} when it is missing or cannot be thawed. The nested {@link Freeze} and
 * {@link Unfreeze} are the Gogo registrations ({@code lxc:freeze}, {@code lxc:unfreeze}).
 */
public class FreezeCommand extends OptionCommand {

    static final String FREEZE_HELP = """
            Usage: lxc-freeze --name=NAME

            lxc-freeze freezes a container with the identifier NAME

            Options :
              -n, --name=NAME      NAME of the container
              --rcfile=FILE        Load configuration file FILE

            """ + COMMON_HELP + """
            See the lxc-freeze man page for further information.

            """;

    static final String UNFREEZE_HELP = """
            Usage: lxc-unfreeze --name=NAME

            lxc-unfreeze unfreezes a container with the identifier NAME

            Options :
              -n, --name=NAME   NAME of the container
              --rcfile=FILE     Load configuration file FILE

            """ + COMMON_HELP + """
            See the lxc-unfreeze man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(NAME, Option.withArgument("rcfile", "RCFILE"));

    /** What the command does: its LXC tool, help text and what a stopped container means to it. */
    public enum Verb {
        FREEZE("freeze", FREEZE_HELP, false),
        UNFREEZE("unfreeze", UNFREEZE_HELP, true);

        private final String word;
        private final String help;
        private final boolean stoppedIsDone;

        Verb(String word, String help, boolean stoppedIsDone) {
            this.word = word;
            this.help = help;
            this.stoppedIsDone = stoppedIsDone;
        }

        String tool() {
            return "lxc-" + word;
        }
    }

    private final Verb verb;

    public FreezeCommand(ContainerRuntime runtime, String version, Verb verb) {
        super(verb.tool(), runtime, OPTIONS, verb.help, version);
        this.verb = verb;
    }

    @Override
    final int run(CommandIo io, ParsedArgs args) {
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        String n = name.get();
        Path lxcpath = lxcpath(io, args);
        String failed = "Failed to " + verb.word + " " + lxcpath + ":" + n;
        if (runtime.find(lxcpath, n).isEmpty()) {
            error(io, n, failed);
            return 1;
        }
        try {
            if (verb == Verb.FREEZE) {
                runtime.freeze(lxcpath, n);
            } else {
                runtime.unfreeze(lxcpath, n);
            }
        } catch (ContainerNotRunningException e) {
            if (verb.stoppedIsDone) {
                return 0;   // LXC: a stopped container is not frozen, nothing to do
            }
            error(io, n, failed);
            return 1;
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            error(io, n, failed);
            return 1;
        }
        return 0;
    }

    /** {@code lxc:freeze}. */
    @Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=freeze" })
    public static final class Freeze extends FreezeCommand {
        @Activate
        public Freeze(@Reference ContainerRuntime runtime, BundleContext context) {
            super(runtime, context.getBundle().getVersion().toString(), Verb.FREEZE);
        }

        /** Here for {@code help lxc:freeze}; Gogo calls {@link #execute} with the raw arguments. */
        @Descriptor(FREEZE_HELP)
        public Object freeze(CommandSession session, @Descriptor("lxc-freeze options") String... args) {
            return execute(session, List.of((Object[]) args));
        }
    }

    /** {@code lxc:unfreeze}. */
    @Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=unfreeze" })
    public static final class Unfreeze extends FreezeCommand {
        @Activate
        public Unfreeze(@Reference ContainerRuntime runtime, BundleContext context) {
            super(runtime, context.getBundle().getVersion().toString(), Verb.UNFREEZE);
        }

        /** Here for {@code help lxc:unfreeze}; Gogo calls {@link #execute} with the raw arguments. */
        @Descriptor(UNFREEZE_HELP)
        public Object unfreeze(CommandSession session, @Descriptor("lxc-unfreeze options") String... args) {
            return execute(session, List.of((Object[]) args));
        }
    }
}
