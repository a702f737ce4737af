package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.api.SnapshotInfo;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-snapshot}: takes ({@code -c} adds a comment), lists ({@code -L}, {@code -C} with comments), restores
 * ({@code -r}, {@code -N}) and destroys ({@code -d}, {@code ALL}) snapshots, silent on success as LXC is.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=snapshot" })
public final class SnapshotCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-snapshot --name=NAME [-P lxcpath] [-L [-C]] [-c commentfile] [-r snapname [-N newname]]

            lxc-snapshot snapshots a container

            Options :
              -n, --name=NAME        NAME of the container
              -L, --list             list all snapshots
              -r, --restore=NAME     restore snapshot NAME, e.g. 'snap0'
              -N, --newname=NEWNAME  NEWNAME for the restored container
              -d, --destroy=NAME     destroy snapshot NAME, e.g. 'snap0'
                                     use ALL to destroy all snapshots
              -c, --comment=FILE     add FILE as a comment
              -C, --showcomments     show snapshot comments

            """ + COMMON_HELP + """
            See the lxc-snapshot man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(
            NAME,
            Option.flag('L', "list"),
            Option.withArgument('r', "restore", "NAME"),
            Option.withArgument('N', "newname", "NEWNAME"),
            Option.withArgument('d', "destroy", "NAME"),
            Option.withArgument('c', "comment", "FILE"),
            Option.flag('C', "showcomments"));

    @Activate
    public SnapshotCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public SnapshotCommand(ContainerRuntime runtime, String version) {
        super("lxc-snapshot", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:snapshot}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object snapshot(CommandSession session, @Descriptor("lxc-snapshot options") String... args) {
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
            if (args.has("list")) {
                io.out().print(listing(runtime.snapshots(lxcpath, n), args.has("showcomments")));
            } else if (args.has("restore")) {
                runtime.restoreSnapshot(lxcpath, n, args.last("restore").orElseThrow(), args.last("newname"));
            } else if (args.has("destroy")) {
                runtime.destroySnapshot(lxcpath, n, args.last("destroy").orElseThrow());
            } else {
                runtime.snapshot(lxcpath, n, args.last("comment").map(io::resolve));
            }
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            return 1;
        }
        return 0;
    }

    /** LXC's {@code -L}: {@code snap0 (/lxcpath/c/snaps) 2026:11:28 23:26:22}, then the comment with {@code -C}. */
    static String listing(List<SnapshotInfo> snaps, boolean comments) {
        if (snaps.isEmpty()) {
            return "No snapshots\n";
        }
        StringBuilder sb = new StringBuilder();
        for (SnapshotInfo s : snaps) {
            sb.append(s.name()).append(" (").append(s.lxcpath()).append(") ").append(s.timestamp()).append('\n');
            if (comments && s.comment().isPresent()) {
                String c = s.comment().get();
                sb.append(c).append(c.endsWith("\n") || c.isEmpty() ? "" : "\n");
            }
        }
        return sb.toString();
    }
}
