package org.lxj.spi.network;

import java.util.Objects;

/**
 * What {@code lxc-info} shows for an interface with a host side: {@code Link: vethAB12CD} and its counters.
 *
 * @param link  the host-side interface name
 * @param stats its counters
 */
public record HostNicInfo(String link, NicStats stats) {
    public HostNicInfo {
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(stats, "stats");
    }
}
