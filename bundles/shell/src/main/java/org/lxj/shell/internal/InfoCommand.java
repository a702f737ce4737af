package org.lxj.shell.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.ConfigException;
import org.lxj.api.Container;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.ContainerState;
import org.lxj.api.ContainerNetwork;
import org.lxj.api.ContainerStats;
import org.lxj.api.command.DirectCommand;
import org.lxj.api.config.ContainerConfig;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.lxj.shell.internal.format.Fields;
import org.lxj.shell.internal.format.Json;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-info}: a container's state and, while it runs, its init PID, as {@code %-15s} field lines;
 * configuration items with {@code -c}; the statistics of a running container ({@code CPU use}, {@code BlkIO use},
 * {@code Memory use}, {@code KMem use}) when a cgroup backend made its cgroups. Addresses come from a later
 * runtime API; until then {@code -i} prints nothing, as LXC does for a stopped container.
 */
@Component(service = { Function.class, DirectCommand.class }, property = { "osgi.command.scope=lxc",
        "osgi.command.function=info", DirectCommand.NAME_PROPERTY + "=lxc-info" })
public final class InfoCommand extends OptionCommand implements DirectCommand {

    static final String HELP = """
            Usage: lxc-info --name=NAME

            lxc-info display some information about a container with the identifier NAME

            Options :
              -n, --name=NAME       NAME of the container
              -c, --config=KEY      show configuration variable KEY from running container
              -i, --ips             shows the IP addresses
              -p, --pid             shows the process id of the init container
              -S, --stats           shows usage stats
              -H, --no-humanize     shows stats as raw numbers, not humanized
              -s, --state           shows the state of the container
              --rcfile=FILE         Load configuration file FILE
              --format=FORMAT       print as FORMAT: text (default) or json

            """ + COMMON_HELP + """
            See the lxc-info man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(
            Option.withArgument('c', "config", "CONFIG"),
            Option.flag('i', "ips"),
            Option.flag('s', "state"),
            Option.flag('p', "pid"),
            Option.flag('S', "stats"),
            Option.flag('H', "no-humanize"),
            NAME,
            Option.withArgument("rcfile", "RCFILE"),
            Option.withArgument("format", "FORMAT"));

    @Activate
    public InfoCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public InfoCommand(ContainerRuntime runtime, String version) {
        super("lxc-info", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:info}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object info(CommandSession session, @Descriptor("lxc-info options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) {
        Optional<String> name = name(args);
        if (name.isEmpty()) {
            error(io, "No container name specified");
            return 1;
        }
        Optional<String> format = args.last("format");
        if (format.isPresent() && !format.get().equals("json") && !format.get().equals("text")) {
            error(io, "Invalid format \"" + format.get() + "\": expected text or json");
            return 1;
        }
        Optional<Container> container = runtime.find(lxcpath(io, args), name.get());
        if (container.isEmpty()) {
            io.err().print(name.get() + " doesn't exist\n");
            return 1;
        }
        ContainerConfig config = args.last("rcfile").map(f -> runtime.parseConfig(io.resolve(f)))
                .orElseGet(() -> container.get().config());
        Selection selection = Selection.of(args);
        if (format.isPresent() && format.get().equals("json")) {
            Optional<ContainerStats> stats = container.get().state().isActive()
                    && (selection.name() || args.has("stats")) ? runtime.stats(lxcpath(io, args), name.get())
                            : Optional.empty();
            Map<String, Object> out = json(io, container.get(), config, selection, args.all("config"));
            stats.ifPresent(st -> out.put("stats", json(st)));
            if (container.get().state().isActive() && (selection.name() || args.has("ips") || args.has("stats"))) {
                runtime.network(lxcpath(io, args), name.get())
                        .ifPresent(n -> out.put("network", NetworkFields.json(n)));
            }
            io.out().print(Json.write(out));
        } else {
            Optional<ContainerStats> stats = container.get().state().isActive()
                    && (selection.name() || args.has("stats")) ? runtime.stats(lxcpath(io, args), name.get())
                            : Optional.empty();
            Optional<ContainerNetwork> net = container.get().state().isActive()
                    && (selection.name() || args.has("ips") || args.has("stats"))
                            ? runtime.network(lxcpath(io, args), name.get()) : Optional.empty();
            printText(io, container.get(), config, selection, args, stats, net);
        }
        return 0;
    }

    /** Which fields were asked for; none asked means name, state, PID, addresses and statistics. */
    private record Selection(boolean name, boolean state, boolean pid) {
        static Selection of(ParsedArgs args) {
            boolean any = args.has("state") || args.has("pid") || args.has("ips") || args.has("stats")
                    || args.has("config");
            return any ? new Selection(false, args.has("state"), args.has("pid")) : new Selection(true, true, true);
        }
    }

    private static void printText(CommandIo io, Container c, ContainerConfig config, Selection selection,
            ParsedArgs args, Optional<ContainerStats> stats, Optional<ContainerNetwork> net) {
        Fields fields = new Fields();
        ContainerState state = c.state();
        boolean humanize = !args.has("no-humanize");
        // LXC prints a state or PID bare when -H comes with exactly one of -s, -p, -i, -S, -c
        boolean bareField = !humanize && filterCount(args) == 1;
        if (selection.name()) {
            fields.add("Name:", c.name());
        }
        if (selection.state()) {
            if (bareField) {
                io.out().print(state.name() + "\n");
            } else {
                fields.add("State:", state.name());
            }
        }
        if (state.isActive() && selection.pid() && c.initPid().isPresent()) {
            if (bareField) {
                io.out().print(c.initPid().getAsLong() + "\n");
            } else {
                fields.add("PID:", c.initPid().getAsLong());
            }
        }
        if (selection.name() || args.has("ips")) {
            if (bareField) {
                net.ifPresent(n -> NetworkFields.ips(n).forEach(ip -> io.out().print(ip + "\n")));
            } else {
                net.ifPresent(n -> NetworkFields.addIps(fields, n));
            }
        }
        stats.ifPresent(st -> {
            st.cpuNanos().ifPresent(n -> fields.add("CPU use:", humanize ? cpuSeconds(n) : Long.toString(n)));
            st.blkioBytes().ifPresent(n -> fields.add("BlkIO use:", humanize ? sizeHumanize(n) : Long.toString(n)));
            st.memoryBytes().ifPresent(n -> fields.add("Memory use:", humanize ? sizeHumanize(n) : Long.toString(n)));
            st.kmemBytes().ifPresent(n -> fields.add("KMem use:", humanize ? sizeHumanize(n) : Long.toString(n)));
        });
        if (selection.name() || args.has("stats")) {
            net.ifPresent(n -> NetworkFields.addLinks(fields, n, v -> humanize ? sizeHumanize(v) : Long.toString(v)));
        }
        io.out().print(fields);
        List<String> keys = args.all("config");
        boolean bare = args.has("no-humanize") && keys.size() == 1 && filterCount(args) == 1;
        for (String key : keys) {
            printItem(io, config, key, bare);
        }
    }

    /** How many of {@code -s}, {@code -p}, {@code -i}, {@code -S} and {@code -c KEY} were given. */
    private static int filterCount(ParsedArgs args) {
        int n = args.all("config").size();
        for (String f : List.of("state", "pid", "ips", "stats")) {
            n += args.has(f) ? 1 : 0;
        }
        return n;
    }

    /** CPU time as LXC prints it: nanoseconds read as a float, divided in double, printed from a float. */
    static String cpuSeconds(long nanos) {
        float seconds = (float) ((double) (float) nanos / 1_000_000_000.0);
        return String.format(java.util.Locale.ROOT, "%.2f seconds", seconds);
    }

    /** A byte count as LXC's {@code size_humanize} writes it: {@code 1.50 MiB}, {@code 12.00 KiB}, {@code 7 bytes}. */
    static String sizeHumanize(long val) {
        if (val > 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%d.%02d GiB", val >> 30, (val & ((1L << 30) - 1)) / 10737419);
        }
        if (val > 1L << 20) {
            long x = val + 5243;
            return String.format(java.util.Locale.ROOT, "%d.%02d MiB", x >> 20, ((x & ((1L << 20) - 1)) * 100) >> 20);
        }
        if (val > 1L << 10) {
            long x = val + 5;
            return String.format(java.util.Locale.ROOT, "%d.%02d KiB", x >> 10, ((x & ((1L << 10) - 1)) * 100) >> 10);
        }
        return val + " bytes";
    }

    /** One {@code -c KEY}: {@code KEY = VALUE}, only the value with {@code -H} and a single key. */
    private static void printItem(CommandIo io, ContainerConfig config, String key, boolean bare) {
        Optional<String> value;
        try {
            value = config.item(key);
        } catch (ConfigException unknownKey) {
            io.err().print(key + " invalid\n");
            return;
        }
        String v = value.orElse("");
        if (bare) {
            io.out().print(v + "\n");
        } else {
            io.out().print(v.isEmpty() ? key + " =\n" : key + " = " + v + "\n");
        }
    }

    private static Map<String, Object> json(CommandIo io, Container c, ContainerConfig config, Selection selection,
            List<String> keys) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        if (selection.state()) {
            out.put("state", c.state().name());
        }
        if (selection.pid()) {
            out.put("pid", c.state().isActive() && c.initPid().isPresent() ? c.initPid().getAsLong() : null);
        }
        if (!keys.isEmpty()) {
            Map<String, Object> items = new LinkedHashMap<>();
            for (String key : keys) {
                try {
                    items.put(key, config.item(key).map(InfoCommand::withoutFinalNewline).orElse(null));
                } catch (ConfigException unknownKey) {
                    io.err().print(key + " invalid\n");
                }
            }
            out.put("config", items);
        }
        return out;
    }

    /** The statistics in raw units (nanoseconds, bytes); null where the host lacks the controller. */
    private static Map<String, Object> json(ContainerStats st) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("cpu_nanos", st.cpuNanos().isPresent() ? st.cpuNanos().getAsLong() : null);
        out.put("blkio_bytes", st.blkioBytes().isPresent() ? st.blkioBytes().getAsLong() : null);
        out.put("memory_bytes", st.memoryBytes().isPresent() ? st.memoryBytes().getAsLong() : null);
        out.put("kmem_bytes", st.kmemBytes().isPresent() ? st.kmemBytes().getAsLong() : null);
        return out;
    }

    /** List items end with a newline in LXC's text form; JSON strings do without it. */
    private static String withoutFinalNewline(String value) {
        return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
    }
}
