package org.lxj.namespace.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import org.lxj.spi.launch.Namespace;

/**
 * Which namespace types this kernel has: those with a file under {@code /proc/self/ns}, as
 * {@code lxc-checkconfig} and LXC's {@code cgns_supported()} decide. Read once when the component starts.
 */
final class KernelNamespaces {

    private final Set<Namespace> available;

    private KernelNamespaces(Set<Namespace> available) {
        this.available = available.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(available));
    }

    /** The namespaces with an entry under {@code nsDir} (normally {@code /proc/self/ns}). */
    static KernelNamespaces probe(Path nsDir) {
        Set<Namespace> found = EnumSet.noneOf(Namespace.class);
        for (Namespace ns : Namespace.values()) {
            if (Files.exists(nsDir.resolve(ns.procName()), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                found.add(ns);
            }
        }
        return new KernelNamespaces(found);
    }

    /** A fixed answer, for tests. */
    static KernelNamespaces of(Set<Namespace> available) {
        return new KernelNamespaces(available);
    }

    boolean has(Namespace ns) {
        return available.contains(ns);
    }
}
