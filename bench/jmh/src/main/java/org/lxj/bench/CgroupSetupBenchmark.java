package org.lxj.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;
import org.lxj.cgroup.v1.internal.V1CgroupBackend;
import org.lxj.cgroup.v2.internal.V2CgroupBackend;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.core.internal.run.CgroupSetup;
import org.lxj.linux.internal.BenchHost;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.HostFacts;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cgroup part of a start and of a stop on the live host, as {@code ContainerStarter} and
 * {@code ContainerStopper} run it: {@link CgroupSetup#create} (payload and monitor cgroups in every hierarchy both
 * backends serve, cpuset copied, the busybox template's device allowlist and a memory limit applied) and its
 * removal, together and apart: {@link #create} is what a start pays, {@link #remove} what a stop pays. Root only. Everything is made under a scratch parent {@code lxjbench.<pid>} in each hierarchy, removed in
 * {@link #tearDown}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class CgroupSetupBenchmark {
    private static final String CONFIG = "lxc.cgroup.devices.deny = a\n"
            + "lxc.cgroup.devices.allow = c *:* m\nlxc.cgroup.devices.allow = b *:* m\n"
            + "lxc.cgroup.devices.allow = c 1:3 rwm\nlxc.cgroup.devices.allow = c 1:5 rwm\n"
            + "lxc.cgroup.devices.allow = c 1:7 rwm\nlxc.cgroup.devices.allow = c 1:8 rwm\n"
            + "lxc.cgroup.devices.allow = c 1:9 rwm\nlxc.cgroup.devices.allow = c 5:0 rwm\n"
            + "lxc.cgroup.devices.allow = c 5:1 rwm\nlxc.cgroup.devices.allow = c 5:2 rwm\n"
            + "lxc.cgroup.devices.allow = c 136:* rwm\nlxc.cgroup.devices.allow = c 10:229 rwm\n"
            + "lxc.cgroup.memory.limit_in_bytes = 268435456\n";

    private final JnaSyscalls sys = new JnaSyscalls();
    private final String parent = "lxjbench." + ProcessHandle.current().pid();
    private HostFacts host;
    private CgroupSetup setup;
    private ContainerConfig config;
    private List<CgroupBackend> backends;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        host = BenchHost.probe(sys);
        backends = List.of(new V1CgroupBackend(sys, host), new V2CgroupBackend(sys, host));
        setup = new CgroupSetup(() -> backends, SystemConfig.defaults());
        Path dir = Files.createTempDirectory("lxj-bench-cg");
        config = new ConfigParser().parse(CONFIG + "lxc.cgroup.dir = " + parent + "\n", dir.resolve("config"));
        Files.delete(dir);
        // the first start makes the scratch parents; the timed ones find them, as starts under lxc.payload do
        setup.release(setup.create("b", config, host));
    }

    /** One start's cgroups made and one stop's removed. */
    @Benchmark
    public CgroupSetup.Made createAndRemove() {
        CgroupSetup.Made made = setup.create("b", config, host);
        setup.release(made);
        return made;
    }

    /**
     * What a start pays: {@link CgroupSetup#create} alone. The cgroups of each invocation are removed outside the
     * measured time ({@link Removal}).
     */
    @Benchmark
    public CgroupSetup.Made create(Removal removal) {
        removal.made = setup.create("b", config, host);
        return removal.made;
    }

    /** What a stop pays: {@link CgroupSetup#release} of cgroups made outside the measured time ({@link Made}). */
    @Benchmark
    public CgroupSetup.Made remove(Made made) {
        setup.release(made.made);
        return made.made;
    }

    /** Removes, after each invocation of {@link #create}, what it made. */
    @State(Scope.Thread)
    public static class Removal {
        CgroupSetup.Made made;

        @TearDown(Level.Invocation)
        public void removeMade(CgroupSetupBenchmark bench) {
            if (made != null) {
                bench.setup.release(made);
                made = null;
            }
        }
    }

    /** Makes, before each invocation of {@link #remove}, the cgroups it removes. */
    @State(Scope.Thread)
    public static class Made {
        CgroupSetup.Made made;

        @Setup(Level.Invocation)
        public void make(CgroupSetupBenchmark bench) {
            made = bench.setup.create("b", bench.config, bench.host);
        }
    }

    /** The floor: the same payload and monitor directories made and removed with bare syscalls, nothing else. */
    @Benchmark
    public int kernelMkdirRmdirOnly() {
        for (CgroupHierarchy h : host.cgroups()) {
            Path base = h.mountPoint().resolve(parent);
            sys.mkdir(base.resolve("lxc.payload.b").toString(), 0755);
            sys.mkdir(base.resolve("lxc.monitor.b").toString(), 0755);
        }
        for (CgroupHierarchy h : host.cgroups()) {
            Path base = h.mountPoint().resolve(parent);
            sys.rmdir(base.resolve("lxc.payload.b").toString());
            sys.rmdir(base.resolve("lxc.monitor.b").toString());
        }
        return host.cgroups().size();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (CgroupHierarchy h : host.cgroups()) {
            Path scratch = h.mountPoint().resolve(parent);
            if (Files.isDirectory(scratch)) {
                try {
                    sys.rmdir(scratch.toString());
                } catch (RuntimeException e) {
                    System.err.println("Failed to remove \"" + scratch + "\": " + e.getMessage());
                }
            }
        }
    }
}
