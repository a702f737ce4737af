package org.lxj.linux.netlink;

/**
 * A network interface as {@code RTM_GETLINK} reports it.
 *
 * @param index   the interface index
 * @param name    {@code IFLA_IFNAME}
 * @param kind    {@code IFLA_INFO_KIND} ({@code veth}, {@code bridge}), empty for a physical device
 * @param flags   {@code IFF_*} flags
 * @param mtu     {@code IFLA_MTU}
 * @param address the MAC address, {@code aa:bb:cc:dd:ee:ff}, empty if none
 * @param master  the index of the bridge it is enslaved to, 0 if none
 * @param rxBytes received bytes ({@code IFLA_STATS64})
 * @param txBytes sent bytes
 */
public record LinkInfo(int index, String name, String kind, int flags, int mtu, String address, int master,
        long rxBytes, long txBytes) {

    /** Whether {@code IFF_UP} is set. */
    public boolean up() {
        return (flags & Rt.IFF_UP) != 0;
    }
}
