package org.lxj.shell.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.ContainerState;
import org.lxj.api.CopyRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.api.StartOptions;
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
 * {@code lxc-copy}: a full copy ({@code -N}), a snapshot clone ({@code -s}), a rename ({@code -R}) or an ephemeral
 * container ({@code -e}) that is cloned, started and destroyed when it stops, with LXC's messages.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=copy" })
public final class CopyCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-copy\s
            --name=NAME [-P lxcpath] -N newname [-p newpath] [-B backingstorage] [-s] [-K] [-M] [-L size [unit]] -- hook options
            --name=NAME [-P lxcpath] [-N newname] [-p newpath] [-B backingstorage] -e [-d] [-D] [-K] [-M] [-m {bind,overlay}=/src:/dest] -- hook options
            --name=NAME [-P lxcpath] -N newname -R

            lxc-copy clone a container

            Options :
              -n, --name=NAME           NAME of the container
              -N, --newname=NEWNAME     NEWNAME for the restored container
              -p, --newpath=NEWPATH     NEWPATH for the container to be stored
              -R, --rename              rename container
              -s, --snapshot            create snapshot instead of clone
              -a, --allowrunning        allow snapshot creation even if source container is running
              -F, --foreground          start with current tty attached to /dev/console
              -d, --daemon              daemonize the container (default)
              -e, --ephemeral           start ephemeral container
              -m, --mount               directory to mount into container, either\s
                                        {bind,overlay}=/src-path or {bind,overlay}=/src-path:/dst-path
              -B, --backingstorage=TYPE backingstorage type for the container
              -t, --tmpfs               place ephemeral container on a tmpfs
                                        (WARNING: On reboot all changes made to the container will be lost.)
              -L, --fssize              size of the new block device for block device containers
              -D, --keepdata            pass together with -e start a persistent snapshot\s
              -K, --keepname            keep the hostname of the original container
              --  hook options          arguments passed to the hook program
              -M, --keepmac             keep the MAC address of the original container

            """ + COMMON_HELP + """
            See the lxc-copy man page for further information.

            """;

    private static final Logger LOG = LoggerFactory.getLogger(CopyCommand.class);
    /** LXC's words when {@code -t} cannot be honoured. */
    static final String TMPFS_NEEDS_OVERLAY = "A container can only be placed on a tmpfs when the overlay storage "
            + "driver is used";
    private static final String NAME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private static final List<Option> OPTIONS = List.of(
            NAME,
            Option.withArgument('N', "newname", "NEWNAME"),
            Option.withArgument('p', "newpath", "NEWPATH"),
            Option.flag('R', "rename"),
            Option.flag('s', "snapshot"),
            Option.flag('a', "allowrunning"),
            Option.flag('F', "foreground"),
            Option.flag('d', "daemon"),
            Option.flag('e', "ephemeral"),
            Option.withArgument('m', "mount", "MNT"),
            Option.withArgument('B', "backingstorage", "TYPE"),
            Option.flag('t', "tmpfs"),
            Option.withArgument('L', "fssize", "SIZE"),
            Option.flag('D', "keepdata"),
            Option.flag('K', "keepname"),
            Option.flag('M', "keepmac"));

    @Activate
    public CopyCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public CopyCommand(ContainerRuntime runtime, String version) {
        super("lxc-copy", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:copy}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object copy(CommandSession session, @Descriptor("lxc-copy options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        Optional<String> name = args.last("name");
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        String n = name.get();
        boolean ephemeral = args.has("ephemeral");
        if (args.last("newname").isEmpty() && !ephemeral) {
            io.out().print("Error: You must provide a NEWNAME for the clone.\n");
            return 1;
        }
        // LXC ignores -t without -e, and refuses it with -D (the clone would not be a snapshot)
        boolean tmpfs = ephemeral && args.has("tmpfs");
        if (tmpfs && args.has("keepdata")) {
            error(io, n, TMPFS_NEEDS_OVERLAY);
            return 1;
        }
        Path lxcpath = lxcpath(io, args);
        if (runtime.find(lxcpath, n).isEmpty()) {
            io.err().print("Error: container " + n + " is not defined\n");
            return 1;
        }
        try {
            if (args.has("rename")) {
                runtime.rename(lxcpath, n, args.last("newname").orElseThrow());
                return 0;
            }
            Path newpath = args.last("newpath").map(io::resolve).orElse(lxcpath);
            String newName = args.last("newname").orElseGet(() -> n + "_" + randomSuffix());
            List<Mount> mounts = new ArrayList<>();
            for (String m : args.all("mount")) {
                mounts.addAll(Mount.parse(m, newpath.resolve(newName), RandomSuffix.INSTANCE));
            }
            List<String> extra = new ArrayList<>();
            if (ephemeral && !args.has("keepdata")) {
                extra.add("lxc.ephemeral = 1");
            }
            mounts.forEach(m -> extra.add("lxc.mount.entry = " + m.entry()));
            Optional<TmpfsHooks> hooks = tmpfs ? Optional.of(TmpfsHooks.of(newpath.resolve(newName), newName,
                    args.has("keepname"), RandomSuffix.INSTANCE)) : Optional.empty();
            hooks.ifPresent(h -> extra.addAll(h.configLines()));
            CopyRequest request = new CopyRequest(lxcpath, n, newpath, newName,
                    ephemeral || args.has("snapshot"), args.last("backingstorage").map(List::of).orElse(List.of()),
                    args.last("fssize").map(s -> Map.of("fssize", s)).orElse(Map.of()), args.has("keepname"),
                    args.has("keepmac"), extra, command(args), args.has("allowrunning"));
            try (CopyProgress p = CopyProgress.start(io, newName, newpath.resolve(newName))) {
                runtime.copy(request);
            }
            if (!ephemeral) {
                LOG.info("Copied container {} to {}", n, newName);
                return 0;
            }
            for (Mount m : mounts) {
                m.makeDirectories();
            }
            io.out().print("Created " + newName + " as clone of " + n + "\n");
            if (hooks.isPresent()) {
                String rootfs = runtime.find(newpath, newName).flatMap(c -> c.config().rootfsPath()).orElse("");
                if (!hooks.get().layersOver(rootfs)) {
                    error(io, n, TMPFS_NEEDS_OVERLAY);
                    runtime.destroy(newpath, newName, new DestroyOptions(true, false));
                    return 1;
                }
                hooks.get().write();
                io.out().print("Container is placed on tmpfs.\nRebooting will cause all changes made to it to be "
                        + "lost!\n");
            }
            return startEphemeral(io, newpath, newName, args.lastOf("daemon", "foreground")
                    .filter("foreground"::equals).isPresent(), !args.has("keepdata"));
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            io.err().print("clone failed\n");
            return 1;
        } catch (IOException e) {
            error(io, n, "Failed to create a mount directory: " + e.getMessage());
            return 1;
        }
    }

    private int startEphemeral(CommandIo io, Path lxcpath, String name, boolean foreground, boolean destroyOnStop) {
        try {
            runtime.start(lxcpath, name, new StartOptions(Optional.empty(), Map.of(), Optional.empty(), false,
                    Map.of(), List.of(), foreground));
        } catch (LxjException e) {
            error(io, name, String.valueOf(e.getMessage()));
            if (destroyOnStop) {
                runtime.destroy(lxcpath, name, new DestroyOptions(true, false));
            }
            return 1;
        }
        if (foreground) {
            runtime.waitFor(lxcpath, name, Set.of(ContainerState.STOPPED), Duration.ofNanos(-1));
        }
        return 0;
    }

    private static String randomSuffix() {
        return RandomSuffix.INSTANCE.next();
    }

    /** Six random letters and digits, as {@code mkdtemp}'s {@code XXXXXX}. */
    enum RandomSuffix {
        INSTANCE;

        String next() {
            StringBuilder sb = new StringBuilder(6);
            for (int i = 0; i < 6; i++) {
                sb.append(NAME_CHARS.charAt(RANDOM.nextInt(NAME_CHARS.length())));
            }
            return sb.toString();
        }
    }

    /**
     * A {@code -m} mount as LXC's {@code lxc-copy} writes it: {@code bind=/src[:/dst][:ro|rw]} becomes
     * {@code /src dst none bind,optional,OPT,create=dir|file 0 0}; {@code overlay=/src[:/dst]} becomes an overlay
     * over {@code /src} with {@code delta#XXXXXX} and {@code work#XXXXXX} directories in the container's directory.
     */
    record Mount(String entry, List<Path> directories) {

        static List<Mount> parse(String spec, Path containerDir, RandomSuffix random) throws BadArgumentException {
            List<Mount> out = new ArrayList<>();
            for (String item : spec.split(",")) {
                if (item.isEmpty()) {
                    continue;
                }
                int eq = item.indexOf('=');
                String kind = eq < 0 ? item : item.substring(0, eq);
                String[] parts = eq < 0 ? new String[0] : item.substring(eq + 1).split(":");
                if (parts.length == 0 || parts[0].isEmpty()) {
                    throw new BadArgumentException("Invalid mount \"" + item + "\"");
                }
                String src = Path.of("/").resolve(parts[0]).normalize().toString();
                if (kind.equals("bind")) {
                    out.add(bind(item, src, parts));
                } else if (kind.equals("overlay")) {
                    if (parts.length > 2) {
                        throw new BadArgumentException("Excess elements in mount specification \"" + item + "\"");
                    }
                    String dst = relative(parts.length == 2 ? parts[1] : parts[0]);
                    Path upper = containerDir.resolve("delta#" + random.next());
                    Path work = containerDir.resolve("work#" + random.next());
                    out.add(new Mount(src + " " + dst + " overlay lowerdir=" + src + ",upperdir=" + upper
                            + ",workdir=" + work + ",create=dir", List.of(upper, work)));
                } else {
                    throw new BadArgumentException("Invalid mount type \"" + kind + "\" (bind or overlay)");
                }
            }
            return out;
        }

        private static Mount bind(String item, String src, String[] parts) throws BadArgumentException {
            String dst = relative(parts[0]);
            String opt = "rw";
            if (parts.length == 2 && (parts[1].equals("ro") || parts[1].equals("rw"))) {
                opt = parts[1];
            } else if (parts.length == 2) {
                dst = relative(parts[1]);
            } else if (parts.length == 3) {
                dst = relative(parts[1]);
                opt = parts[2];
            } else if (parts.length > 3) {
                throw new BadArgumentException("Excess elements in mount specification \"" + item + "\"");
            }
            if (!opt.equals("ro") && !opt.equals("rw")) {
                throw new BadArgumentException("Invalid mount option \"" + opt + "\" (ro or rw)");
            }
            String create = Files.isDirectory(Path.of(src)) ? "create=dir" : "create=file";
            return new Mount(src + " " + dst + " none bind,optional," + opt + "," + create + " 0 0", List.of());
        }

        private static String relative(String path) {
            String p = Path.of("/").resolve(path).normalize().toString();
            return p.substring(1);
        }

        void makeDirectories() throws IOException {
            for (Path d : directories) {
                Files.createDirectories(d);
            }
        }
    }
}
