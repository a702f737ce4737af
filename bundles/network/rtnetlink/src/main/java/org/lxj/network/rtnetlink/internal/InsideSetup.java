package org.lxj.network.rtnetlink.internal;

import java.net.InetAddress;
import java.util.Optional;

import org.lxj.linux.Errno;
import org.lxj.linux.netlink.LinkInfo;
import org.lxj.linux.netlink.NetlinkException;
import org.lxj.linux.netlink.Rt;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.RtRequests;
import org.lxj.spi.network.PreparedNic;

/** Configures a moved interface inside the container's namespace: name, MAC, MTU, addresses, up, gateways. */
final class InsideSetup {
    private final RouteSocket sock;
    private final NicSettings s;

    InsideSetup(RouteSocket sock, NicSettings s) {
        this.sock = sock;
        this.s = s;
    }

    void apply(PreparedNic prepared, Optional<InetAddress> autoV4, Optional<InetAddress> autoV6) {
        LinkInfo dev = sock.require(prepared.transitName());
        String name = prepared.containerName().isEmpty() ? prepared.transitName() : prepared.containerName();
        RtRequests.LinkChange change = new RtRequests.LinkChange(dev.index(), name);
        if (!name.equals(dev.name())) {
            change.name(name);
        }
        s.hwaddr().ifPresent(change::mac);
        if (s.mtu() > 0) {
            change.mtu(s.mtu());
        }
        if (s.up()) {
            change.up(true);
        }
        sock.apply(change);
        for (NicSettings.Address a : s.ipv4()) {
            sock.apply(RtRequests.addAddress(dev.index(), a.address(), a.prefixLength(), a.broadcast()));
        }
        for (NicSettings.Address a : s.ipv6()) {
            sock.apply(RtRequests.addAddress(dev.index(), a.address(), a.prefixLength(), Optional.empty()));
        }
        if (!s.up()) {
            return;
        }
        s.ipv4Gateway().ifPresent(g -> gateway(dev.index(), Rt.AF_INET, g, autoV4));
        s.ipv6Gateway().ifPresent(g -> gateway(dev.index(), Rt.AF_INET6, g, autoV6));
    }

    private void gateway(int index, int family, NicSettings.Gateway g, Optional<InetAddress> auto) {
        if (g.dev()) {
            sock.apply(RtRequests.addRoute(family, null, 0, null, index));
            return;
        }
        InetAddress via = g.auto() ? auto.orElseThrow() : g.address().orElseThrow();
        try {
            sock.apply(RtRequests.addRoute(family, null, 0, via, index));
        } catch (NetlinkException e) {
            if (!e.is(Errno.ENETUNREACH)) {
                throw e;
            }
            // a gateway outside the interface's subnets is reached on the link first, as LXC does
            sock.apply(RtRequests.addRoute(family, via, family == Rt.AF_INET ? 32 : 128, null, index));
            sock.apply(RtRequests.addRoute(family, null, 0, via, index));
        }
    }
}
