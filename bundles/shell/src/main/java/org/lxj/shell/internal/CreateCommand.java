package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.CreateRequest;
import org.lxj.api.LxjException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-create}: checks the arguments as LXC does (name, template, storage type, existing container),
 * then asks the runtime to create the container. Silent on success.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=create" })
public final class CreateCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-create --name=NAME --template=TEMPLATE [OPTION...] [-- template-options]

            lxc-create creates a container

            Options :
              -n, --name=NAME               NAME of the container
              -f, --config=CONFIG           Initial configuration file
              -t, --template=TEMPLATE       Template to use to setup container
              -B, --bdev=BDEV               Backing store type to use, or a comma separated list tried in order
                  --dir=DIR                 Place rootfs directory under DIR

              BDEV options for LVM (with -B/--bdev lvm):
                  --lvname=LVNAME           Use LVM lv name LVNAME
                                            (Default: container name)
                  --vgname=VG               Use LVM vg called VG
                                            (Default: lxc)
                  --thinpool=TP             Use LVM thin pool called TP
                                            (Default: lxc)

              BDEV options for Ceph RBD (with -B/--bdev rbd) :
                  --rbdname=RBDNAME         Use Ceph RBD name RBDNAME
                                            (Default: container name)
                  --rbdpool=POOL            Use Ceph RBD pool name POOL
                                            (Default: lxc)

              BDEV option for ZFS (with -B/--bdev zfs) :
                  --zfsroot=PATH            Create zfs under given zfsroot
                                            (Default: tank/lxc)

              BDEV options for LVM or Loop (with -B/--bdev lvm/loop) :
                  --fstype=TYPE             Create fstype TYPE
                                            (Default: ext4)
                  --fssize=SIZE[U]          Create filesystem of
                                            size SIZE * unit U (bBkKmMgGtT)
                                            (Default: 1G, default unit: M)
              -- template-options
                     This will pass template-options to the template as arguments.
                     To see the list of options supported by the template,
                     you can run lxc-create -t TEMPLATE -h.

            """ + COMMON_HELP + """
            See the lxc-create man page for further information.

            """;

    /** Framework property: the template of {@code lxc-create} without {@code -t} (conf/framework.properties). */
    static final String DEFAULT_TEMPLATE = "lxj.default.template";
    /** Framework property: the storage type(s) of {@code lxc-create} without {@code -B} (conf/framework.properties). */
    static final String DEFAULT_STORAGE = "lxj.default.storage";

    private final Optional<String> defaultTemplate;
    private final Optional<String> defaultStorage;

    /** Storage option names as LXC's long options spell them; passed on as {@link CreateRequest#storageOptions()}. */
    static final List<String> STORAGE_OPTIONS =
            List.of("lvname", "vgname", "thinpool", "fstype", "fssize", "zfsroot", "dir", "rbdname", "rbdpool");

    private static final List<Option> OPTIONS = List.of(
            Option.withArgument('B', "bdev", "BDEV"),
            Option.withArgument('f', "config", "CONFIG"),
            Option.withArgument('t', "template", "TEMPLATE"),
            Option.withArgument("lvname", "LVNAME"),
            Option.withArgument("vgname", "VGNAME"),
            Option.withArgument("thinpool", "THINPOOL"),
            Option.withArgument("fstype", "FSTYPE"),
            Option.withArgument("fssize", "FSSIZE"),
            Option.withArgument("zfsroot", "ZFSROOT"),
            Option.withArgument("dir", "DIR"),
            Option.withArgument("rbdname", "RBDNAME"),
            Option.withArgument("rbdpool", "RBDPOOL"),
            NAME);

    @Activate
    public CreateCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString(),
                Optional.ofNullable(context.getProperty(DEFAULT_TEMPLATE)).map(String::trim).filter(v -> !v.isEmpty()),
                Optional.ofNullable(context.getProperty(DEFAULT_STORAGE)).map(String::trim).filter(v -> !v.isEmpty()));
    }

    public CreateCommand(ContainerRuntime runtime, String version) {
        this(runtime, version, Optional.empty(), Optional.empty());
    }

    /**
     * @param defaultTemplate the template without {@code -t} (framework property {@value #DEFAULT_TEMPLATE}, a
     *                        vendor's default); empty: {@code -t} is required, as in LXC
     * @param defaultStorage  the storage type without {@code -B} (framework property {@value #DEFAULT_STORAGE});
     *                        empty: the runtime's default ({@code dir})
     */
    public CreateCommand(ContainerRuntime runtime, String version, Optional<String> defaultTemplate,
            Optional<String> defaultStorage) {
        super("lxc-create", runtime, OPTIONS, HELP, version);
        this.defaultTemplate = defaultTemplate;
        this.defaultStorage = defaultStorage;
    }

    /** Here for {@code help lxc:create}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object create(CommandSession session, @Descriptor("lxc-create options") String... args) {
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
        Optional<String> template = args.last("template").or(() -> defaultTemplate);
        if (template.isEmpty()) {
            error(io, n, "A template must be specified");
            error(io, n, "Use \"none\" if you really want a container without a rootfs");
            return 1;
        }
        List<String> storageTypes = args.last("bdev").or(() -> defaultStorage)
                .map(b -> List.of(b.split(",", -1))).orElse(List.of());
        // Which types exist is the runtime's to say: a backend bundle installed at run time must be usable at
        // once, and a missing one is reported by core as `no storage backend "x" is installed`.
        if (storageTypes.contains("")) {
            error(io, n, args.last("bdev").get() + " is not a valid backing storage type");
            return 1;
        }
        Path lxcpath = lxcpath(io, args);
        if (runtime.find(lxcpath, n).isPresent()) {
            error(io, n, "Container already exists");
            return 1;
        }
        Map<String, String> storageOptions = new LinkedHashMap<>();
        for (String option : STORAGE_OPTIONS) {
            // --dir is a path the user typed relative to the shell's directory; the others are names and sizes
            args.last(option).ifPresent(v -> storageOptions.put(option,
                    option.equals("dir") ? io.resolve(v).toString() : v));
        }
        CreateRequest request = new CreateRequest(lxcpath, n, template, args.last("config").map(io::resolve),
                storageTypes, storageOptions, args.afterDashes());
        try {
            runtime.create(request);
        } catch (LxjException e) {
            error(io, n, String.valueOf(e.getMessage()));
            error(io, n, "Failed to create container " + n);
            return e.exitStatus();
        }
        return 0;
    }
}
