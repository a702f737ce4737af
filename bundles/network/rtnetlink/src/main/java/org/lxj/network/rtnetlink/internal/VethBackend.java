package org.lxj.network.rtnetlink.internal;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.lxj.linux.Syscalls;
import org.lxj.linux.netlink.Rt;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.RtRequests;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NetworkBackend;
import org.lxj.spi.network.NetworkCapability;
import org.lxj.spi.network.PreparedNic;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code lxc.net.N.type = veth}: a veth pair whose host side ({@code veth.pair} or {@code vethXXXXXX}) joins the
 * bridge {@code link} ({@code veth.mode = bridge}, the default) or, in {@code router} mode, gets host routes to the
 * container's addresses; {@code veth.ipv4.route}/{@code veth.ipv6.route} are routed through the host side too.
 */
@Component(service = NetworkBackend.class, property = Backend.TYPE_PROPERTY + "=" + VethBackend.TYPE)
public final class VethBackend extends NetlinkNicBackend {
    static final String TYPE = "veth";

    private final Optional<ManagedBridge> managed;

    @Activate
    public VethBackend(@Reference Syscalls sys, @Reference BridgeCommand bridge) {
        this(sys, Optional.of(bridge.bridge()));
    }

    public VethBackend(Syscalls sys) {
        this(sys, Optional.empty());
    }

    VethBackend(Syscalls sys, Optional<ManagedBridge> managed) {
        super(sys);
        this.managed = managed;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<NetworkCapability> capabilities() {
        return EnumSet.of(NetworkCapability.HOST_INTERFACE, NetworkCapability.STATS);
    }

    /**
     * Checks the keys and the bridge and picks the names; the pair itself is made by {@link #moveIn}, with its
     * peer directly in the container's namespace: moving a device between namespaces costs the kernel tens of
     * milliseconds here, making it there a few.
     */
    @Override
    PreparedNic create(ContainerContext context, NicSettings s, RouteSocket host) {
        String mode = mode(s);
        if (mode.equals("bridge") && s.link().isPresent()) {
            String link = s.link().get();
            managed.filter(m -> m.manages(link) && host.link(link).isEmpty()).ifPresent(ManagedBridge::ensureUp);
            host.require(link);
        }
        vlanId(s);
        taggedIds(s);
        String hostName = s.value("veth.pair").orElseGet(() -> randomName("veth"));
        if (host.link(hostName).isPresent()) {
            throw s.invalid("veth.pair", hostName, "Interface \"" + hostName + "\" already exists");
        }
        // the peer is made in the container under its final name: it never has a name on the host
        String inside = s.name().orElse("eth" + s.nic().index());
        return new PreparedNic(s.nic().index(), TYPE, hostName, inside, inside);
    }

    /** Only the host side: the peer never exists on the host (its transit name is its name inside). */
    @Override
    public void teardown(PreparedNic prepared) {
        try (RouteSocket host = new RouteSocket(sys)) {
            if (host.link(prepared.hostInterface()).isPresent()) {
                deleteQuietly(host, prepared.hostInterface());
            }
        }
    }

    /** Bridge VLAN filtering of the host side, as LXC: {@code veth.vlan.id} (or {@code none}) replaces VLAN 1. */
    private static void vlans(NicSettings s, RouteSocket host, int port) {
        Optional<Integer> pvid = vlanId(s);
        if (s.value("veth.vlan.id").isPresent()) {
            try {
                host.apply(RtRequests.bridgeVlan(port, 1, false, false));
            } catch (org.lxj.linux.netlink.NetlinkException e) {
                // the bridge gave the port no default VLAN
            }
        }
        pvid.ifPresent(id -> host.apply(RtRequests.bridgeVlan(port, id, true, true)));
        for (int id : taggedIds(s)) {
            host.apply(RtRequests.bridgeVlan(port, id, false, true));
        }
    }

    /** {@code veth.vlan.id}: 1 to 4094, or {@code none} (empty) for no untagged VLAN. */
    private static Optional<Integer> vlanId(NicSettings s) {
        Optional<String> v = s.value("veth.vlan.id").map(String::trim);
        if (v.isEmpty() || v.get().equals("none")) {
            return Optional.empty();
        }
        return Optional.of(vid(s, "veth.vlan.id", v.get()));
    }

    private static List<Integer> taggedIds(NicSettings s) {
        List<Integer> ids = new java.util.ArrayList<>();
        for (String v : s.nic().values("veth.vlan.tagged.id")) {
            for (String part : v.split(",")) {
                String p = part.trim();
                int dash = p.indexOf('-');
                if (dash > 0) {
                    int from = vid(s, "veth.vlan.tagged.id", p.substring(0, dash));
                    int to = vid(s, "veth.vlan.tagged.id", p.substring(dash + 1));
                    if (to < from) {
                        throw s.invalid("veth.vlan.tagged.id", v, "Invalid VLAN range \"" + p + "\"");
                    }
                    for (int id = from; id <= to; id++) {
                        ids.add(id);
                    }
                } else {
                    ids.add(vid(s, "veth.vlan.tagged.id", p));
                }
            }
        }
        return ids;
    }

    private static int vid(NicSettings s, String key, String text) {
        int id;
        try {
            id = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            id = -1;
        }
        if (id < 1 || id > 4094) {
            throw s.invalid(key, text, "Invalid VLAN id \"" + text.trim() + "\": expected 1 to 4094");
        }
        return id;
    }

    private static String mode(NicSettings s) {
        String mode = s.value("veth.mode").orElse("bridge");
        if (!mode.equals("bridge") && !mode.equals("router")) {
            throw s.invalid("veth.mode", mode, "Invalid veth mode \"" + mode + "\": expected bridge or router");
        }
        return mode;
    }

    @Override
    boolean hostSideMadeAtPrepare() {
        return false;
    }

    @Override
    void moveIn(ContainerContext context, NicSettings s, PreparedNic prepared, RouteSocket host, int netnsFd) {
        String hostName = prepared.hostInterface();
        host.apply(RtRequests.newVeth(hostName, prepared.transitName(), netnsFd));
        try {
            RtRequests.LinkChange change = new RtRequests.LinkChange(host.require(hostName).index(), hostName).up(true);
            if (s.mtu() > 0) {
                change.mtu(s.mtu());
            }
            if (mode(s).equals("bridge") && s.link().isPresent()) {
                change.master(host.require(s.link().get()).index());
            }
            host.apply(change);
            if (mode(s).equals("bridge") && s.link().isPresent()) {
                vlans(s, host, host.require(hostName).index());
            }
        } catch (RuntimeException e) {
            teardown(prepared);
            throw e;
        }
        runUpScript(context, s, prepared);
    }

    @Override
    void afterMove(ContainerContext context, NicSettings s, PreparedNic prepared) {
        boolean router = s.value("veth.mode").orElse("bridge").equals("router");
        try (RouteSocket host = new RouteSocket(sys)) {
            int index = host.require(prepared.hostInterface()).index();
            if (router) {
                for (NicSettings.Address a : concat(s.ipv4(), s.ipv6())) {
                    host.apply(RtRequests.addRoute(RtRequests.family(a.address()), a.address(),
                            isV4(a.address()) ? 32 : 128, null, index));
                }
            }
            for (NicSettings.Address r : concat(s.routes("veth.ipv4.route", false), s.routes("veth.ipv6.route", true))) {
                host.apply(RtRequests.addRoute(RtRequests.family(r.address()), network(r), r.prefixLength(), null,
                        index));
            }
            if (s.value("l2proxy").orElse("0").equals("1")) {
                l2proxy(host, s);
            }
        }
    }

    /** {@code l2proxy}: the parent {@code link} answers ARP/NDP for the container's addresses. */
    private static void l2proxy(RouteSocket host, NicSettings s) {
        String link = s.requireLink();
        int index = host.require(link).index();
        for (NicSettings.Address a : concat(s.ipv4(), s.ipv6())) {
            host.apply(RtRequests.addProxyNeighbour(index, a.address()));
        }
    }

    private static InetAddress network(NicSettings.Address a) {
        byte[] b = a.address().getAddress();
        for (int bit = a.prefixLength(); bit < b.length * 8; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<NicSettings.Address> concat(List<NicSettings.Address> a, List<NicSettings.Address> b) {
        List<NicSettings.Address> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    static int family(boolean v6) {
        return v6 ? Rt.AF_INET6 : Rt.AF_INET;
    }
}
