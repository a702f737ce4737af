package org.lxj.network.rtnetlink.internal;

import java.util.Set;
import java.util.function.Consumer;

import org.lxj.linux.Syscalls;
import org.lxj.linux.netlink.MessageBuilder;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.RtRequests;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NetworkCapability;
import org.lxj.spi.network.PreparedNic;

/**
 * An interface made on a parent device {@code link} ({@code macvlan}, {@code ipvlan}, {@code vlan}): created under a
 * transit name, moved into the container, gone with its namespace; the parent is only used as parent.
 */
abstract class ParentedBackend extends NetlinkNicBackend {

    ParentedBackend(Syscalls sys) {
        super(sys);
    }

    /** The link kind, {@code macvlan}. */
    abstract String kind();

    /** What goes inside {@code IFLA_INFO_DATA}, checked. */
    abstract Consumer<MessageBuilder> data(NicSettings s);

    @Override
    public Set<NetworkCapability> capabilities() {
        return Set.of();
    }

    @Override
    PreparedNic create(ContainerContext context, NicSettings s, RouteSocket host) {
        Consumer<MessageBuilder> data = data(s);
        int parent = host.require(s.requireLink()).index();
        String transit = randomName(kind().substring(0, 2) + "lxj");
        host.apply(RtRequests.newLink(transit, kind(), parent, data));
        PreparedNic prepared = new PreparedNic(s.nic().index(), type(), "", transit, s.name().orElse("eth" + s.nic()
                .index()));
        if (s.mtu() > 0) {
            try {
                host.apply(new RtRequests.LinkChange(host.require(transit).index(), transit).mtu(s.mtu()));
            } catch (RuntimeException e) {
                teardown(prepared);
                throw e;
            }
        }
        return prepared;
    }
}
