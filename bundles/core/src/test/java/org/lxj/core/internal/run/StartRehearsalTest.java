package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.core.internal.lifecycle.Backends;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.core.internal.select.Ranked;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.template.Template;

/** The start rehearsal a daemon runs to compile the start path: planning only, nothing made. */
class StartRehearsalTest {
    private static final HostFacts HOST = new HostFacts("6.1.0", "x86_64", Set.of("proc", "sysfs", "tmpfs"),
            List.of(), CgroupLayout.HYBRID,
            List.of(new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/memory"), List.of("memory"))), false, Set.of(), 0);

    @TempDir
    Path tmp;

    private ContainerStarter starter(Optional<HostFacts> host, List<Object> events) {
        RunLayout layout = new RunLayout(tmp.resolve("run"));
        FakeMonitors monitors = new FakeMonitors();
        RunRegistry registry = new RunRegistry(layout, new ContainerLocks(layout), monitors,
                monitors.processes(new java.util.HashSet<>()), s -> events.add(s), events::add, (p, n) -> events.add(n));
        Backends backends = new Backends() {
            @Override
            public List<Ranked<StorageBackend>> storage() {
                return List.of();
            }

            @Override
            public List<Ranked<Template>> templates() {
                return List.of();
            }

            @Override
            public Optional<HostFacts> host() {
                return host;
            }
        };
        ConfigParser parser = new ConfigParser();
        return new ContainerStarter(registry, backends, Optional::empty, List::of, parser::parse);
    }

    @Test
    void plansEveryRoundAndLeavesNothingBehind() throws IOException {
        List<Object> events = Collections.synchronizedList(new ArrayList<>());
        assertEquals(25, starter(Optional.of(HOST), events).rehearse(25));
        assertTrue(events.isEmpty(), "no event, release or destroy: " + events);
        try (Stream<Path> left = Files.list(tmp)) {
            // the run layout is only named, never made
            assertEquals(List.of(), left.toList());
        }
        assertFalse(Files.exists(Path.of("/nonexistent/lxj-rehearsal")));
    }

    @Test
    void stopsWhenTheHostIsUnknown() {
        assertEquals(0, starter(Optional.empty(), new ArrayList<>()).rehearse(5));
    }
}
