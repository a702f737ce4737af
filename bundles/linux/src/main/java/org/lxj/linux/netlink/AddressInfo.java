package org.lxj.linux.netlink;

import java.net.InetAddress;

/**
 * An address of an interface as {@code RTM_GETADDR} reports it.
 *
 * @param index        the interface index
 * @param address      the address ({@code IFA_LOCAL} for IPv4, else {@code IFA_ADDRESS})
 * @param prefixLength its prefix length
 * @param scope        {@code RT_SCOPE_*}
 */
public record AddressInfo(int index, InetAddress address, int prefixLength, int scope) {
}
