package org.lxj.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.Container;
import org.lxj.api.ContainerNetwork;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.ContainerState;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.lxj.shell.internal.format.FancyTable;
import org.lxj.shell.internal.format.Json;
import org.lxj.shell.internal.format.NameColumns;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-ls}: names in columns, one per line ({@code -1}), or a table ({@code -f}, {@code -F COLUMNS});
 * filtered by state, groups and a name regex. {@code --format json} prints every column as an array of
 * objects. Nested containers ({@code --nesting}) are not listed.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=ls" })
public final class LsCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-ls
            [-P lxcpath] [--active] [--running] [--frozen] [--stopped] [-g groups] [--filter regex]
            [-1] [-P lxcpath] [--active] [--running] [--frozen] [--stopped] [-g groups] [--filter regex]
            [-f] [-P lxcpath] [--active] [--running] [--frozen] [--stopped] [-g groups] [--filter regex]

            lxc-ls list containers

            Options :
              -1, --line         show one entry per line
              -f, --fancy        use a fancy, column-based output
              -F, --fancy-format comma separated list of columns to show in the fancy output
                                 valid columns are: NAME, STATE, PID, RAM, SWAP, AUTOSTART,
                                 GROUPS, INTERFACE, IPV4 and IPV6, UNPRIVILEGED
              --active           list only active containers
              --running          list only running containers
              --frozen           list only frozen containers
              --stopped          list only stopped containers
              --defined          list only defined containers
              --filter=REGEX     filter container names by regular expression
              -g --groups        comma separated list of groups a container must have to be displayed
              --format=FORMAT    print as FORMAT: text (default) or json (all columns)

            """ + COMMON_HELP + """
            See the lxc-ls man page for further information.

            """;

    private static final List<Option> OPTIONS = List.of(
            Option.flag('1', "line"),
            Option.flag('f', "fancy"),
            Option.withArgument('F', "fancy-format", "FANCY-FORMAT"),
            Option.flag("active"),
            Option.flag("running"),
            Option.flag("frozen"),
            Option.flag("stopped"),
            Option.flag("defined"),
            Option.withArgument('g', "groups", "GROUPS"),
            Option.withArgument("filter", "FILTER"),
            NAME,
            Option.withArgument("format", "FORMAT"));

    private static final int MEMORY_WIDTH = "0.00MB".length();

    static final List<String> DEFAULT_COLUMNS =
            List.of("NAME", "STATE", "AUTOSTART", "GROUPS", "IPV4", "IPV6", "UNPRIVILEGED");
    static final List<String> VALID_COLUMNS = List.of("NAME", "STATE", "PID", "RAM", "SWAP", "AUTOSTART",
            "GROUPS", "INTERFACE", "IPV4", "IPV6", "UNPRIVILEGED");

    @Activate
    public LsCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString());
    }

    public LsCommand(ContainerRuntime runtime, String version) {
        super("lxc-ls", runtime, OPTIONS, HELP, version);
    }

    /** Here for {@code help lxc:ls}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object ls(CommandSession session, @Descriptor("lxc-ls options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    @Override
    int run(CommandIo io, ParsedArgs args) {
        Optional<String> format = args.last("format");
        if (format.isPresent() && !format.get().equals("json") && !format.get().equals("text")) {
            error(io, "Invalid format \"" + format.get() + "\": expected text or json");
            return 1;
        }
        List<String> columns = DEFAULT_COLUMNS;
        if (args.has("fancy-format")) {
            columns = new ArrayList<>();
            for (String c : args.last("fancy-format").get().split(",")) {
                String column = c.trim().toUpperCase(Locale.ROOT);
                if (!VALID_COLUMNS.contains(column)) {
                    io.err().print("Invalid key: " + c.trim() + "\n");
                    return 0;
                }
                columns.add(column);
            }
        }
        Optional<Predicate<String>> nameFilter = nameFilter(args);
        if (nameFilter.isEmpty()) {
            return 0;
        }
        Predicate<ListedContainer> wanted = stateFilter(args).and(l -> nameFilter.get().test(l.name()));
        List<String> groups = args.last("groups").map(g -> List.of(g.split(","))).orElse(List.of());
        List<ListedContainer> listed = new ArrayList<>();
        java.nio.file.Path lxcpath = lxcpath(io, args);
        for (Container c : runtime.list(lxcpath)) {
            ListedContainer l = ListedContainer.of(c);
            if (wanted.test(l) && l.inAllGroups(groups)) {
                listed.add(l);
            }
        }
        boolean json = format.isPresent() && format.get().equals("json");
        boolean memory = json || args.has("fancy") && (columns.contains("RAM") || columns.contains("SWAP"));
        Map<String, Memory> used = new java.util.HashMap<>();
        if (memory) {
            listed.stream().filter(l -> l.state().isActive())
                    .forEach(l -> used.put(l.name(), Memory.of(new CgroupReadings(runtime, lxcpath, l.name()))));
        }
        Map<String, ContainerNetwork> nets = new java.util.HashMap<>();
        if (json || args.has("fancy") && (columns.contains("IPV4") || columns.contains("IPV6")
                || columns.contains("INTERFACE"))) {
            listed.stream().filter(l -> l.state().isActive()).forEach(l -> runtime.network(lxcpath, l.name())
                    .ifPresent(n -> nets.put(l.name(), n)));
        }
        if (json) {
            io.out().print(Json.write(listed.stream().map(l -> withNetwork(json(l, used.get(l.name())),
                    Optional.ofNullable(nets.get(l.name())))).toList()));
        } else if (args.has("fancy")) {
            io.out().print(table(listed, columns, used, nets));
        } else if (args.has("line")) {
            listed.forEach(l -> io.out().print(l.name() + "\n"));
        } else {
            io.out().print(NameColumns.format(listed.stream().map(ListedContainer::name).toList(), io.width()));
        }
        return 0;
    }

    /**
     * {@code --filter REGEX}, else a single positional regex; matched anywhere in the name. LXC lists
     * nothing, and says nothing, for a regex that does not compile; empty here means that.
     */
    private static Optional<Predicate<String>> nameFilter(ParsedArgs args) {
        Optional<String> regex = args.last("filter");
        if (regex.isEmpty() && args.positionals().size() == 1) {
            regex = Optional.of(args.positionals().get(0));
        }
        if (regex.isEmpty()) {
            return Optional.of(n -> true);
        }
        try {
            Pattern pattern = Pattern.compile(regex.get());
            return Optional.of(n -> pattern.matcher(n).find());
        } catch (PatternSyntaxException invalid) {
            return Optional.empty();
        }
    }

    private static Predicate<ListedContainer> stateFilter(ParsedArgs args) {
        Predicate<ListedContainer> p = l -> true;
        if (args.has("active") || args.has("running")) {
            p = p.and(l -> l.state().isActive());
        }
        if (args.has("frozen")) {
            p = p.and(l -> l.state() == ContainerState.FROZEN);
        }
        if (args.has("stopped")) {
            p = p.and(l -> !l.state().isActive());
        }
        return p;
    }

    /** Memory and swap in use of a running container, as {@code lxc-ls} shows them; empty when unknown. */
    record Memory(java.util.OptionalLong ram, java.util.OptionalLong swap) {
        static Memory of(CgroupReadings r) {
            java.util.OptionalLong ram = r.ram();
            return new Memory(ram, r.swap(ram));
        }
    }

    /** A RAM or SWAP cell: mebibytes with two decimals and {@code MB}, as LXC's {@code lxc-ls} prints them. */
    static String megabytes(java.util.OptionalLong bytes) {
        return bytes.isPresent() ? String.format(Locale.ROOT, "%.2fMB", bytes.getAsLong() / 1024.0 / 1024.0) : "-";
    }

    private static String table(List<ListedContainer> listed, List<String> columns, Map<String, Memory> used,
            Map<String, ContainerNetwork> nets) {
        // LXC sizes the memory columns for a value like 0.00MB even when every cell is "-".
        FancyTable table = new FancyTable(columns).minimumWidth("RAM", MEMORY_WIDTH).minimumWidth("SWAP", MEMORY_WIDTH);
        for (ListedContainer l : listed) {
            List<String> row = new ArrayList<>(columns.size());
            for (String column : columns) {
                Optional<ContainerNetwork> net = Optional.ofNullable(nets.get(l.name()));
                row.add(net.flatMap(n -> networkCell(n, column)).orElseGet(() -> cell(l, column,
                        Optional.ofNullable(used.get(l.name())))));
            }
            table.addRow(row);
        }
        return table.toString();
    }

    /** IPV4, IPV6 and INTERFACE of a running container, joined with ", " as LXC does; empty for other columns. */
    private static Optional<String> networkCell(ContainerNetwork n, String column) {
        List<String> values = switch (column) {
            case "IPV4" -> n.ipv4();
            case "IPV6" -> n.ipv6();
            case "INTERFACE" -> n.interfaces();
            default -> null;
        };
        return values == null ? Optional.empty() : Optional.of(values.isEmpty() ? "-" : String.join(", ", values));
    }

    /** The JSON object with a running container's interfaces and addresses, when the runtime reported them. */
    private static Map<String, Object> withNetwork(Map<String, Object> o, Optional<ContainerNetwork> net) {
        net.ifPresent(n -> {
            o.put("interfaces", n.interfaces());
            o.put("ipv4", n.ipv4());
            o.put("ipv6", n.ipv6());
        });
        return o;
    }

    /** Columns without a value for {@code l}: {@code -}. */
    private static String cell(ListedContainer l, String column, Optional<Memory> memory) {
        return switch (column) {
            case "RAM" -> memory.map(m -> megabytes(m.ram())).orElse("-");
            case "SWAP" -> memory.map(m -> megabytes(m.swap())).orElse("-");
            case "NAME" -> l.name();
            case "STATE" -> l.state().name();
            case "PID" -> l.pid() > 0 ? Long.toString(l.pid()) : "-";
            case "AUTOSTART" -> l.autostart();
            case "GROUPS" -> l.groupsCell();
            case "UNPRIVILEGED" -> Boolean.toString(l.unprivileged());
            default -> "-";
        };
    }

    private static Map<String, Object> json(ListedContainer l, Memory memory) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", l.name());
        o.put("state", l.state().name());
        o.put("pid", l.pid() > 0 ? l.pid() : null);
        o.put("autostart", l.autostarts());
        o.put("groups", l.groups());
        // A stopped container has no addresses; a running one's come from a later runtime API (null: unknown).
        List<String> none = l.state().isActive() ? null : List.of();
        o.put("interfaces", none);
        o.put("ipv4", none);
        o.put("ipv6", none);
        o.put("unprivileged", l.unprivileged());
        // bytes, null when stopped or unknown
        o.put("ram", memory != null && memory.ram().isPresent() ? memory.ram().getAsLong() : null);
        o.put("swap", memory != null && memory.swap().isPresent() ? memory.swap().getAsLong() : null);
        return o;
    }
}
