package org.lxj.core.internal.net;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.lxj.api.ContainerNetwork;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.netlink.AddressInfo;
import org.lxj.linux.netlink.LinkInfo;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.Rt;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NetworkBackend;
import org.lxj.spi.network.NicConfig;
import org.lxj.spi.network.PreparedNic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A start's network interfaces through the installed network backends, selected by {@code lxc.net.N.type}:
 * host sides prepared before the launch, configured inside while init waits, torn down after the stop (also by a
 * later runtime, from the record in the run directory). {@code empty} and {@code none} need no backend: the
 * namespace contributor handles them.
 */
public final class NetworkSetup {
    private static final Logger LOG = LoggerFactory.getLogger(NetworkSetup.class);
    /** The types core serves without a backend (see {@code NetworkContributor}). */
    public static final Set<String> BUILT_IN = Set.of("empty", "none");

    private final Supplier<List<NetworkBackend>> backends;
    private final Function<Integer, org.lxj.spi.network.NetnsHandle> namespaces;
    private final Optional<Syscalls> sys;

    public NetworkSetup(Supplier<List<NetworkBackend>> backends, Syscalls sys) {
        this(backends, pid -> new NamespaceThread(sys, pid), Optional.of(sys));
    }

    NetworkSetup(Supplier<List<NetworkBackend>> backends, Function<Integer, org.lxj.spi.network.NetnsHandle> ns) {
        this(backends, ns, Optional.empty());
    }

    private NetworkSetup(Supplier<List<NetworkBackend>> backends,
            Function<Integer, org.lxj.spi.network.NetnsHandle> ns, Optional<Syscalls> sys) {
        this.backends = backends;
        this.namespaces = ns;
        this.sys = sys;
    }

    /** No backends: only {@code empty} and {@code none}. */
    public static NetworkSetup none() {
        return new NetworkSetup(List::of, pid -> {
            throw new IllegalStateException("no network backends");
        });
    }

    /** The types the installed backends serve. */
    public Set<String> types() {
        Set<String> t = new java.util.TreeSet<>();
        backends.get().forEach(b -> t.add(b.type()));
        return t;
    }

    private Optional<NetworkBackend> backend(String type) {
        return backends.get().stream().filter(b -> b.type().equals(type)).findFirst();
    }

    /**
     * Prepares the host side of every interface that needs a backend, in index order; a failure tears down the ones
     * already prepared.
     */
    public List<PreparedNic> prepare(ContainerContext ctx) {
        List<PreparedNic> done = new ArrayList<>();
        try {
            for (NicConfig nic : NicConfig.fromConfig(ctx.config())) {
                if (BUILT_IN.contains(nic.type()) && backend(nic.type()).isEmpty()) {
                    continue;
                }
                NetworkBackend b = backend(nic.type()).orElseThrow(() -> new UnsupportedFeatureException(
                        "Failed to start \"" + ctx.name() + "\": no network backend \"" + nic.type()
                                + "\" is installed"));
                done.add(b.prepareHost(ctx, nic));
            }
        } catch (RuntimeException e) {
            teardown(ctx.name(), done);
            throw e;
        }
        return List.copyOf(done);
    }

    /** Records {@code nics} in {@code runDir} for the teardown after the stop. */
    public void record(Path runDir, List<PreparedNic> nics) {
        if (nics.isEmpty()) {
            return;
        }
        try {
            NicRecord.write(runDir, nics);
        } catch (IOException e) {
            throw new LxjException("Failed to write \"" + runDir.resolve(NicRecord.NAME) + "\": " + e.getMessage(), e);
        }
    }

    /** Moves and configures every prepared interface inside the namespace of {@code initPid}. */
    public void configure(ContainerContext ctx, List<PreparedNic> nics, int initPid) {
        List<NicConfig> configs = NicConfig.fromConfig(ctx.config());
        // as LXC: an "empty" interface with flags = up brings the loopback device up
        boolean loopbackUp = sys.isPresent()
                && configs.stream().anyMatch(c -> c.type().equals("empty") && c.up());
        if (nics.isEmpty() && !loopbackUp) {
            return;
        }
        long t0 = System.nanoTime();
        org.lxj.spi.network.NetnsHandle ns = namespaces.apply(initPid);
        if (loopbackUp) {
            Syscalls s = sys.get();
            ns.call(() -> {
                try (RouteSocket sock = new RouteSocket(s)) {
                    LinkInfo lo = sock.require("lo");
                    sock.apply(new org.lxj.linux.netlink.RtRequests.LinkChange(lo.index(), "lo").up(true));
                }
                return null;
            });
        }
        for (PreparedNic p : nics) {
            NicConfig nic = configs.stream().filter(c -> c.index() == p.index()).findFirst().orElseThrow();
            backend(p.type()).orElseThrow(() -> new UnsupportedFeatureException("Failed to start \"" + ctx.name()
                    + "\": network backend \"" + p.type() + "\" went away")).configure(ctx, nic, p, ns);
        }
        LOG.debug("{}: {} network interface(s) configured in {} us", ctx.name(), nics.size(),
                (System.nanoTime() - t0) / 1000);
    }

    /**
     * Records {@code nics} in {@code runDir} for the teardown after the stop, with what their {@code script.down}
     * needs from {@code ctx}'s config.
     */
    public void record(ContainerContext ctx, Path runDir, List<PreparedNic> nics) {
        if (nics.isEmpty()) {
            return;
        }
        List<NicConfig> configs = NicConfig.fromConfig(ctx.config());
        List<NicRecord.Entry> entries = new ArrayList<>();
        for (PreparedNic p : nics) {
            Optional<NicRecord.DownScript> down = configs.stream().filter(c -> c.index() == p.index()).findFirst()
                    .flatMap(c -> DownScripts.capture(ctx, c));
            entries.add(new NicRecord.Entry(p, down));
        }
        try {
            NicRecord.writeEntries(runDir, entries);
        } catch (IOException e) {
            throw new LxjException("Failed to write \"" + runDir.resolve(NicRecord.NAME) + "\": " + e.getMessage(), e);
        }
    }

    /** Tears down {@code nics}, last first; failures are logged. */
    public void teardown(String name, List<PreparedNic> nics) {
        teardownEntries(name, nics.stream().map(n -> new NicRecord.Entry(n, Optional.empty())).toList());
    }

    /** Runs each interface's {@code script.down}, then tears it down, last first; failures are logged. */
    private void teardownEntries(String name, List<NicRecord.Entry> entries) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            PreparedNic p = entries.get(i).nic();
            entries.get(i).down().ifPresent(d -> DownScripts.run(name, p, d));
            Optional<NetworkBackend> b = backend(p.type());
            if (b.isEmpty()) {
                LOG.warn("{}: no network backend \"{}\" to tear down interface {}", name, p.type(), p.index());
                continue;
            }
            try {
                b.get().teardown(p);
            } catch (RuntimeException e) {
                LOG.warn("{}: failed to tear down network interface {} ({}): {}", name, p.index(), p.type(),
                        e.getMessage());
            }
        }
    }

    /** After the stop: tears down what the run directory records. */
    public void release(String name, Path runDir) {
        try {
            teardownEntries(name, NicRecord.readEntries(runDir));
        } catch (IOException e) {
            LOG.warn("{}: network record not read: {}", name, e.getMessage());
        }
    }

    /** Whether every backend the record in {@code runDir} names is installed. */
    public boolean canRelease(Path runDir) {
        try {
            return NicRecord.read(runDir).stream().allMatch(p -> backend(p.type()).isPresent());
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * What {@code lxc-info} and {@code lxc-ls -f} show of a running container: its addresses and interfaces read
     * inside its namespace, the host sides' counters from the record.
     */
    public ContainerNetwork network(int initPid, Path runDir) {
        List<ContainerNetwork.Link> links = hostInfo(runDir).stream()
                .map(h -> new ContainerNetwork.Link(h.link(), h.stats().rxBytes(), h.stats().txBytes())).toList();
        if (sys.isEmpty()) {
            return new ContainerNetwork(List.of(), List.of(), List.of(), links);
        }
        Syscalls s = sys.get();
        return namespaces.apply(initPid).call(() -> {
            try (RouteSocket sock = new RouteSocket(s)) {
                List<String> names = new ArrayList<>();
                java.util.Set<Integer> loopbacks = new java.util.HashSet<>();
                for (LinkInfo l : sock.links()) {
                    if (l.name().equals("lo")) {
                        loopbacks.add(l.index());
                    } else {
                        names.add(l.name());
                    }
                }
                List<String> v4 = new ArrayList<>();
                List<String> v6 = new ArrayList<>();
                for (AddressInfo a : sock.addresses(Rt.AF_UNSPEC, 0)) {
                    if (loopbacks.contains(a.index()) || a.address().isLinkLocalAddress()) {
                        continue;
                    }
                    if (a.address() instanceof java.net.Inet6Address) {
                        v6.add(ipv6Text(a.address().getAddress()));
                    } else {
                        v4.add(a.address().getHostAddress());
                    }
                }
                return new ContainerNetwork(v4, v6, names, links);
            }
        });
    }

    /** An IPv6 address as {@code inet_ntop} writes it: the longest run of two or more zero groups as {@code ::}. */
    static String ipv6Text(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((a[2 * i] & 0xff) << 8) | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8;) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                b.append("::");
                i += bestLen - 1;
                continue;
            }
            if (b.length() > 0 && b.charAt(b.length() - 1) != ':') {
                b.append(':');
            }
            b.append(Integer.toHexString(g[i]));
        }
        return b.toString();
    }

    /** The host-side counters and names of a running container's interfaces, for {@code lxc-info}. */
    public List<org.lxj.spi.network.HostNicInfo> hostInfo(Path runDir) {
        List<org.lxj.spi.network.HostNicInfo> out = new ArrayList<>();
        try {
            for (PreparedNic p : NicRecord.read(runDir)) {
                backend(p.type()).flatMap(b -> b.hostInfo(p)).ifPresent(out::add);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("network record of \"{}\" not read: {}", runDir, e.getMessage());
        }
        return out;
    }
}
