package org.lxj.linux.internal;

import org.lxj.linux.Syscalls;
import org.lxj.spi.host.HostFacts;

/** The live host's facts for benchmarks, probed as {@code HostFactsComponent} does once per runtime. */
public final class BenchHost {
    private BenchHost() {
    }

    public static HostFacts probe(Syscalls sys) {
        return new HostProbe(HostPaths.live(), sys).probe();
    }
}
