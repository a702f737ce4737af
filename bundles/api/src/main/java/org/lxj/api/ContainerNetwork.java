package org.lxj.api;

import java.util.List;
import java.util.Objects;

/**
 * A running container's network as {@code lxc-info} and {@code lxc-ls -f} show it: the addresses inside its network
 * namespace (loopback and IPv6 link-local left out, as LXC does) and the host-side interfaces with their counters.
 *
 * @param ipv4       IPv4 addresses, in the kernel's order
 * @param ipv6       IPv6 addresses, in the kernel's order
 * @param interfaces the container's interface names inside it (loopback left out)
 * @param links      the host-side interfaces ({@code Link:} lines) with their own counters
 * @since 1.5
 */
public record ContainerNetwork(List<String> ipv4, List<String> ipv6, List<String> interfaces, List<Link> links) {

    public ContainerNetwork {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
        interfaces = List.copyOf(interfaces);
        links = List.copyOf(links);
    }

    /**
     * A host-side interface and its own counters.
     *
     * @param name    the host-side interface ({@code vethAB12CD})
     * @param rxBytes bytes it received
     * @param txBytes bytes it sent
     */
    public record Link(String name, long rxBytes, long txBytes) {
        public Link {
            Objects.requireNonNull(name, "name");
        }
    }
}
