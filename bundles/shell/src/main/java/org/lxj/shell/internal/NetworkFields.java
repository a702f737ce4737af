package org.lxj.shell.internal;

import java.util.ArrayList;
import java.util.List;
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
}
