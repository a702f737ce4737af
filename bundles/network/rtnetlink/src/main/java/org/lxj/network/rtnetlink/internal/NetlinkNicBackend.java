package org.lxj.network.rtnetlink.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;

import org.lxj.linux.OpenFlags;
import org.lxj.linux.Syscalls;
import org.lxj.linux.netlink.AddressInfo;
import org.lxj.linux.netlink.LinkInfo;
import org.lxj.linux.netlink.NetlinkException;
import org.lxj.linux.netlink.Rt;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.RtRequests;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NetnsHandle;
import org.lxj.spi.network.NetworkBackend;
import org.lxj.spi.network.NicConfig;
import org.lxj.spi.network.NicStats;
import org.lxj.spi.network.PreparedNic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every rtnetlink backend does alike: the host side is made by the subclass; {@link #configure} moves the
 * interface into the container's namespace through {@code IFLA_NET_NS_FD} and there sets its name, MAC, MTU,
 * addresses, flags and gateways on the namespace's own thread; {@code script.up} runs once the host side is made.
 */
abstract class NetlinkNicBackend implements NetworkBackend {
    private static final Logger LOG = LoggerFactory.getLogger(NetlinkNicBackend.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

    protected final Syscalls sys;

    NetlinkNicBackend(Syscalls sys) {
        this.sys = sys;
    }

    /** Makes the host side; {@code host} is a route socket in the host's namespace. */
    abstract PreparedNic create(ContainerContext context, NicSettings settings, RouteSocket host);

    /** The parent device named in {@code script.up}'s {@code LXC_NET_PARENT}, empty if none. */
    String parent(NicSettings settings) {
        return settings.link().orElse("");
    }

    @Override
    public final PreparedNic prepareHost(ContainerContext context, NicConfig nic) {
        NicSettings s = new NicSettings(context, nic);
        s.mtu();
        s.hwaddr();
        s.ipv4();
        s.ipv6();
        s.ipv4Gateway();
        s.ipv6Gateway();
        PreparedNic prepared;
        try (RouteSocket host = new RouteSocket(sys)) {
            prepared = create(context, s, host);
        } catch (NetlinkException e) {
            throw new BackendException(context.name() + ": network interface " + nic.index() + " (" + nic.type()
                    + "): " + e.getMessage(), e);
        }
        LOG.debug("{}: {} interface {} prepared: host \"{}\", transit \"{}\"", context.name(), type(), nic.index(),
                prepared.hostInterface(), prepared.transitName());
        if (hostSideMadeAtPrepare()) {
            runUpScript(context, s, prepared);
        }
        return prepared;
    }

    /** Whether {@link #create} makes the host side (else {@link #moveIn} does, and runs {@code script.up}). */
    boolean hostSideMadeAtPrepare() {
        return true;
    }

    /** {@code script.up}, once the host side exists; its failure undoes the interface. */
    final void runUpScript(ContainerContext context, NicSettings s, PreparedNic prepared) {
        try {
            NetScripts.run(context, s, "up", prepared, parent(s));
        } catch (RuntimeException e) {
            teardown(prepared);
            throw e;
        }
    }

    /**
     * Puts the interface into the namespace open as {@code netnsFd} under its transit name: by default the prepared
     * device moves there ({@code IFLA_NET_NS_FD}).
     */
    void moveIn(ContainerContext context, NicSettings s, PreparedNic prepared, RouteSocket host, int netnsFd) {
        LinkInfo dev = host.require(prepared.transitName());
        host.apply(new RtRequests.LinkChange(dev.index(), prepared.transitName()).netnsFd(netnsFd));
    }

    @Override
    public void configure(ContainerContext context, NicConfig nic, PreparedNic prepared, NetnsHandle netns) {
        NicSettings s = new NicSettings(context, nic);
        try {
            Optional<InetAddress> autoV4 = Optional.empty();
            Optional<InetAddress> autoV6 = Optional.empty();
            try (RouteSocket host = new RouteSocket(sys)) {
                if (s.ipv4Gateway().map(NicSettings.Gateway::auto).orElse(false)) {
                    autoV4 = Optional.of(autoGateway(host, s, Rt.AF_INET, "ipv4.gateway"));
                }
                if (s.ipv6Gateway().map(NicSettings.Gateway::auto).orElse(false)) {
                    autoV6 = Optional.of(autoGateway(host, s, Rt.AF_INET6, "ipv6.gateway"));
                }
                int fd = sys.open(netns.namespaceFile().toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
                try {
                    moveIn(context, s, prepared, host, fd);
                } finally {
                    sys.close(fd);
                }
            }
            Optional<InetAddress> gw4 = autoV4;
            Optional<InetAddress> gw6 = autoV6;
            netns.run(() -> {
                try (RouteSocket inside = new RouteSocket(sys)) {
                    new InsideSetup(inside, s).apply(prepared, gw4, gw6);
                }
            });
            afterMove(context, s, prepared);
        } catch (NetlinkException e) {
            throw new BackendException(context.name() + ": network interface " + nic.index() + " (" + nic.type()
                    + "): " + e.getMessage(), e);
        }
    }

    /** Host-side work once the interface is inside (routes through a veth's host side). */
    void afterMove(ContainerContext context, NicSettings settings, PreparedNic prepared) {
    }

    /** The first address of {@code family} on the link (the bridge), LXC's {@code gateway = auto}. */
    private InetAddress autoGateway(RouteSocket host, NicSettings s, int family, String subkey) {
        String link = s.link().orElseThrow(() -> s.invalid(subkey, "auto",
                "\"auto\" needs lxc.net." + s.nic().index() + ".link to take the gateway from"));
        LinkInfo l = host.require(link);
        List<AddressInfo> addrs = host.addresses(family, l.index());
        return addrs.stream().filter(a -> a.scope() == Rt.RT_SCOPE_UNIVERSE).map(AddressInfo::address).findFirst()
                .orElseThrow(() -> s.invalid(subkey, "auto", "\"" + link + "\" has no "
                        + (family == Rt.AF_INET ? "IPv4" : "IPv6") + " address to use as gateway"));
    }

    @Override
    public void teardown(PreparedNic prepared) {
        try (RouteSocket host = new RouteSocket(sys)) {
            for (String name : List.of(prepared.hostInterface(), prepared.transitName())) {
                if (!name.isEmpty() && host.link(name).isPresent()) {
                    deleteQuietly(host, name);
                }
            }
        }
    }

    static void deleteQuietly(RouteSocket host, String name) {
        try {
            host.apply(RtRequests.deleteLink(name));
        } catch (NetlinkException e) {
            // gone meanwhile (a veth goes with its peer's namespace)
            if (!e.is(org.lxj.linux.Errno.ENODEV)) {
                throw e;
            }
        }
    }

    @Override
    public Optional<NicStats> stats(PreparedNic prepared) {
        if (prepared.hostInterface().isEmpty()) {
            return Optional.empty();
        }
        try (RouteSocket host = new RouteSocket(sys)) {
            // the host side's own counters, as lxc-info prints them
            return host.link(prepared.hostInterface()).map(l -> new NicStats(l.rxBytes(), l.txBytes()));
        }
    }

    /** A random interface name: {@code prefix} and random characters, 15 at most. */
    static String randomName(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        while (b.length() < Math.min(15, prefix.length() + 6)) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    static boolean isV4(InetAddress a) {
        return a instanceof Inet4Address;
    }
}
