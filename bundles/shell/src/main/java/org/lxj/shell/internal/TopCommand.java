package org.lxj.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Function;
import org.lxj.api.Container;
import org.lxj.api.ContainerRuntime;
import org.lxj.shell.internal.cli.BadArgumentException;
import org.lxj.shell.internal.cli.Option;
import org.lxj.shell.internal.cli.ParsedArgs;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc-top}: the resource use of the running containers of an lxcpath, refreshed every {@code -d} seconds.
 * Interactive, it redraws LXC's table (keys, each followed by Enter: {@code q} quits, {@code n c b m s k} sort,
 * {@code r} reverses); with {@code -b} it prints LXC's CSV header once and a line per container per round, until
 * interrupted.
 */
@Component(service = Function.class, property = { "osgi.command.scope=lxc", "osgi.command.function=top" })
public final class TopCommand extends OptionCommand {

    static final String HELP = """
            Usage: lxc-top\s

            lxc-top monitors the state of the active containers

            Options :
              -d, --delay     delay in seconds between refreshes (default: 3.0)
              -b, --batch     output designed to capture to a file
              -s, --sort      sort by [n,c,b,m] (default: n) where
                              n = Name
                              c = CPU use
                              b = Block I/O use
                              m = Memory use
                              s = Memory + Swap use
                              k = Kernel memory use
              -r, --reverse   sort in reverse (descending) order

            """ + COMMON_HELP + """
            See the lxc-top man page for further information.

            """;

    static final String BATCH_HEADER = "time_ms,container,cpu_nanos,cpu_sys_userhz,cpu_user_userhz,blkio_bytes,"
            + "blkio_iops,mem_used_bytes,memsw_used_bytes,kernel_mem_used_bytes\n";
    static final String TERMCLEAR = "\033[H\033[J";
    static final String TERMHEADER = "\033[7m\033[1m";
    static final String TERMNORM = "\033[0m";
    private static final long POLL_MILLIS = 100;

    private static final List<Option> OPTIONS = List.of(
            Option.withArgument('d', "delay", "DELAY"),
            Option.withArgument('s', "sort", "SORT"),
            Option.flag('b', "batch"),
            Option.flag('r', "reverse"));

    private final int rounds;
    private final LongSupplier clock;

    @Activate
    public TopCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this(runtime, context.getBundle().getVersion().toString(), 0, System::currentTimeMillis);
    }

    /**
     * @param rounds how many rounds to show before returning; 0 for until quit or interrupted
     * @param clock  milliseconds since the epoch, for the batch lines
     */
    TopCommand(ContainerRuntime runtime, String version, int rounds, LongSupplier clock) {
        super("lxc-top", runtime, OPTIONS, HELP, version);
        this.rounds = rounds;
        this.clock = clock;
    }

    /** Here for {@code help lxc:top}; Gogo calls {@link #execute} with the raw arguments. */
    @Descriptor(HELP)
    public Object top(CommandSession session, @Descriptor("lxc-top options") String... args) {
        return execute(session, List.of((Object[]) args));
    }

    /** What the keys and options choose: the sort key and its direction. */
    private static final class View {
        char sort = 'n';
        boolean reverse;
    }

    @Override
    int run(CommandIo io, ParsedArgs args) throws BadArgumentException {
        double delay = 3.0;
        if (args.last("delay").isPresent()) {
            try {
                delay = Double.parseDouble(args.last("delay").get());
            } catch (NumberFormatException e) {
                throw new BadArgumentException("Invalid delay \"" + args.last("delay").get() + "\"");
            }
            if (delay < 0 || Double.isNaN(delay)) {
                throw new BadArgumentException("Invalid delay \"" + args.last("delay").get() + "\"");
            }
        }
        View view = new View();
        view.reverse = args.has("reverse");
        Optional<String> sort = args.last("sort");
        if (sort.isPresent()) {
            if (sort.get().length() != 1 || "ncbmsk".indexOf(sort.get().charAt(0)) < 0) {
                throw new BadArgumentException("Invalid sort key \"" + sort.get() + "\"");
            }
            view.sort = sort.get().charAt(0);
        }
        boolean batch = args.has("batch");
        Path lxcpath = lxcpath(io, args);
        long delayMillis = (long) (delay * 1000);
        for (int round = 1; ; round++) {
            Map<String, TopStats> stats = collect(lxcpath);
            List<String> names = sorted(stats, view);
            if (batch) {
                if (round == 1) {
                    io.out().print(BATCH_HEADER);
                }
                long now = clock.getAsLong();
                names.forEach(n -> io.out().print(batchLine(now, n, stats.get(n))));
            } else {
                io.out().print(table(stats, names));
            }
            io.out().flush();
            if (rounds > 0 && round >= rounds) {
                return 0;
            }
            if (!pause(io.in(), delayMillis, view)) {
                return 0;
            }
        }
    }

    private Map<String, TopStats> collect(Path lxcpath) {
        Map<String, TopStats> out = new LinkedHashMap<>();
        for (Container c : runtime.list(lxcpath)) {
            if (c.state().isActive()) {
                out.put(c.name(), TopStats.read(new CgroupReadings(runtime, lxcpath, c.name())));
            }
        }
        return out;
    }

    static List<String> sorted(Map<String, TopStats> stats, View view) {
        Comparator<String> byName = Comparator.naturalOrder();
        Comparator<String> order = TopStats.order(view.sort)
                .map(c -> Comparator.<String, TopStats>comparing(stats::get, c).thenComparing(byName))
                .orElse(byName);
        List<String> names = new ArrayList<>(stats.keySet());
        names.sort(view.reverse ? order.reversed() : order);
        return names;
    }

    /** Waits {@code millis}, reading keys; false when {@code q} was typed, the input ended or the wait was interrupted. */
    private static boolean pause(InputStream in, long millis, View view) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        try {
            while (true) {
                while (in != null && in.available() > 0) {
                    int key = in.read();
                    if (key == 'q' || key < 0) {
                        return false;
                    }
                    if (key == 'r') {
                        view.reverse = !view.reverse;
                    } else if ("ncbmsk".indexOf(key) >= 0) {
                        view.sort = (char) key;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return true;
                }
                Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** One CSV line of {@code -b}, LXC's columns. */
    static String batchLine(long timeMillis, String name, TopStats s) {
        return timeMillis + "," + name + "," + s.cpuNanos() + "," + s.cpuSys() + "," + s.cpuUser() + "," + s.ioTotal()
                + "," + s.iops() + "," + s.mem() + "," + s.memsw() + "," + s.kmem() + "\n";
    }

    /** The interactive screen: clear, the header, a row per container and the TOTAL row, as LXC draws them. */
    static String table(Map<String, TopStats> stats, List<String> names) {
        TopStats total = TopStats.ZERO;
        for (TopStats s : stats.values()) {
            total = total.plus(s);
        }
        StringBuilder out = new StringBuilder(TERMCLEAR).append(TERMHEADER);
        out.append(header(total, "Container", "CPU", "CPU", "CPU", "BlkIO", "Mem", "MemSw", "KMem"));
        out.append(header(total, "Name", "Used", "Sys", "User", "Total(Read/Write)", "Used", "Used", "Used"));
        out.append(TERMNORM);
        for (String n : names) {
            out.append(row(n, stats.get(n), total)).append('\n');
        }
        out.append(row("TOTAL " + names.size() + " of " + stats.size(), total, total));
        return out.toString();
    }

    private static String header(TopStats total, String... cells) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-18s %12s %12s %12s %36s %10s", cells[0],
                cells[1], cells[2], cells[3], cells[4], cells[5]));
        if (total.memsw() > 0) {
            out.append(String.format(Locale.ROOT, " %10s", cells[6]));
        }
        if (total.kmem() > 0) {
            out.append(String.format(Locale.ROOT, " %10s", cells[7]));
        }
        return out.append('\n').toString();
    }

    private static String row(String name, TopStats s, TopStats total) {
        String blkio = TopStats.humanize(s.ioTotal()) + "(" + TopStats.humanize(s.ioRead()) + "/"
                + TopStats.humanize(s.ioWrite()) + ")";
        String shortName = name.length() > 18 ? name.substring(0, 18) : name;
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-18s %12.2f %12.2f %12.2f %36s %10s",
                shortName, (double) ((float) s.cpuNanos() / 1_000_000_000f), (double) ((float) s.cpuSys()
                        / TopStats.USER_HZ), (double) ((float) s.cpuUser() / TopStats.USER_HZ), blkio,
                TopStats.humanize(s.mem())));
        if (total.memsw() > 0) {
            out.append(String.format(Locale.ROOT, " %10s", TopStats.humanize(s.memsw())));
        }
        if (total.kmem() > 0) {
            out.append(String.format(Locale.ROOT, " %10s", TopStats.humanize(s.kmem())));
        }
        return out.toString();
    }
}
