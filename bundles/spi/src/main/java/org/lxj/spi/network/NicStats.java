package org.lxj.spi.network;

/**
 * Traffic counters, as seen from the host side for {@code lxc-info} (which prints TX, RX and their total).
 *
 * @param rxBytes bytes received
 * @param txBytes bytes sent
 */
public record NicStats(long rxBytes, long txBytes) {

    /** RX plus TX. */
    public long totalBytes() {
        return rxBytes + txBytes;
    }
}
