package org.lxj.spi.network;

import java.util.Optional;
import java.util.Set;

import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One {@code lxc.net.N.type} ({@code veth}, {@code macvlan}, {@code vlan}, {@code phys}, {@code empty},
 * {@code none}); {@link #type()} is that value. Selected per interface by its type, so a missing one is
 * {@code no network backend "macvlan" is installed}.
 * <p>
 * Order in a start: {@link #prepareHost} for every interface before the launch (a failure tears down the
 * ones already prepared); after the clone, while init waits, {@link #configure} moves the interface into the
 * container's namespace and sets name, MAC, MTU, addresses, routes and flags inside it; after the stop,
 * {@link #teardown}. Backends use netlink through the linux bundle, never the {@code ip} command, and touch
 * no host interface but the ones they create (the {@code link} of a macvlan or vlan is only used as
 * parent; {@code phys} moves the named device and gives it back on teardown).
 */
@ConsumerType
public interface NetworkBackend extends Backend {

    /** What this backend's interfaces are like. */
    Set<NetworkCapability> capabilities();

    /**
     * Creates the host side of interface {@code nic}: a veth pair attached to its bridge, a macvlan on its link.
     *
     * @throws org.lxj.api.ConfigException          naming the subkey when a value is invalid
     * @throws org.lxj.spi.backend.BackendException naming the interface and the netlink error
     */
    PreparedNic prepareHost(ContainerContext context, NicConfig nic);

    /**
     * Moves the prepared interface into the container's network namespace and configures it there, running
     * the in-namespace part through {@code netns}.
     */
    void configure(ContainerContext context, NicConfig nic, PreparedNic prepared, NetnsHandle netns);

    /**
     * Removes what {@link #prepareHost} made that outlives the namespace (the host-side veth, a moved
     * physical device's return). Interfaces already gone are not an error.
     */
    void teardown(PreparedNic prepared);

    /** The interface's counters from the host side, if this backend has {@link NetworkCapability#STATS}. */
    default Optional<NicStats> stats(PreparedNic prepared) {
        return Optional.empty();
    }

    /** What {@code lxc-info} shows for the interface's host side, if it has one. */
    default Optional<HostNicInfo> hostInfo(PreparedNic prepared) {
        return prepared.hostInterface().isEmpty() ? Optional.empty()
                : stats(prepared).map(s -> new HostNicInfo(prepared.hostInterface(), s));
    }
}
