package org.lxj.spi.network;

/** What a network backend's interfaces are like. */
public enum NetworkCapability {
    /** The container stays in the host's network namespace ({@code none}): no net namespace is created. */
    HOST_NAMESPACE,
    /** The interface has a host-side peer whose name and counters {@code lxc-info} shows ({@code veth}). */
    HOST_INTERFACE,
    /** {@link NetworkBackend#stats} returns counters. */
    STATS
}
