package org.lxj.shell.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import org.lxj.api.ContainerNetwork;
import org.lxj.shell.internal.format.Fields;

/**
 * {@code lxc-info}'s network lines, as LXC prints them: {@code IP:} per address (IPv4 first) after the PID, and per
 * host-side interface {@code Link:}, {@code  TX bytes:}, {@code  RX bytes:}, {@code  Total bytes:} after the
 * cgroup statistics.
 */
final class NetworkFields {
    private NetworkFields() {
    }

    /** Every address, IPv4 first. */
    static List<String> ips(ContainerNetwork n) {
        List<String> all = new ArrayList<>(n.ipv4());
        all.addAll(n.ipv6());
        return all;
    }

    static void addIps(Fields fields, ContainerNetwork n) {
        ips(n).forEach(ip -> fields.add("IP:", ip));
    }

    static void addLinks(Fields fields, ContainerNetwork n, LongFunction<String> size) {
        for (ContainerNetwork.Link l : n.links()) {
            fields.add("Link:", l.name());
            fields.add(" TX bytes:", size.apply(l.txBytes()));
            fields.add(" RX bytes:", size.apply(l.rxBytes()));
            fields.add(" Total bytes:", size.apply(l.txBytes() + l.rxBytes()));
        }
    }

    /**
     * {@code lxc-info --format json}'s network fields: {@code ips} (IPv4 first), {@code ipv4}, {@code ipv6},
     * {@code interfaces} (inside the container) and {@code links} (host sides with byte counters).
     */
    static Map<String, Object> json(ContainerNetwork n) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ips", ips(n));
        out.put("ipv4", List.copyOf(n.ipv4()));
        out.put("ipv6", List.copyOf(n.ipv6()));
        out.put("interfaces", List.copyOf(n.interfaces()));
        List<Object> links = new ArrayList<>();
        for (ContainerNetwork.Link l : n.links()) {
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("name", l.name());
            link.put("tx_bytes", l.txBytes());
            link.put("rx_bytes", l.rxBytes());
            link.put("total_bytes", l.txBytes() + l.rxBytes());
            links.add(link);
        }
        out.put("links", links);
        return out;
    }
}
