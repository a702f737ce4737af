package org.lxj.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.core.internal.plan.LaunchRequest;
import org.lxj.core.internal.plan.PlanAssembler;
import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchOptions;
import org.lxj.launcher.internal.PlanEncoder;
import org.lxj.namespace.internal.NamespaceComponent;
import org.lxj.security.caps.internal.CapsContributor;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
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
 * The Java side of a start, step by step, for the config {@code lxc-create -t busybox} writes: parsing it, assembling
 * the launch plan with core's contributors plus the namespace and capability bundles' ones, and encoding the plan
 * into the launcher's TLV message. Everything runs in one JVM without OSGi: the components are built with their
 * public constructors, as a DS runtime would build them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlanBenchmark {

    /** A hybrid-cgroup x86_64 host, as the plan tests use: the plan does not depend on this machine's probe. */
    private static final HostFacts HOST = new HostFacts("6.1.0", "x86_64", Set.of("proc", "sysfs", "tmpfs",
            "devpts", "mqueue", "cgroup", "cgroup2"), List.of(), CgroupLayout.HYBRID,
            List.of(new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/memory"), List.of("memory")),
                    new CgroupHierarchy(2, Path.of("/sys/fs/cgroup/unified"), List.of())),
            false, Set.of(), 0);

    private Path dir;
    private Path configFile;
    private String configText;
    private ContainerContext context;
    private List<LaunchContributor> installed;
    private LaunchPlan plan;
    private LaunchOptions options;

    @Setup(Level.Trial)
    public void setUp() throws IOException, LaunchException {
        dir = Files.createTempDirectory("lxj-jmh");
        Path rootfs = Files.createDirectories(dir.resolve("b1/rootfs"));
        for (String d : List.of("lib", "usr/lib", "lib64", "proc", "sys", "dev", "sbin")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        configFile = dir.resolve("b1/config");
        try (InputStream in = PlanBenchmark.class.getResourceAsStream("/busybox.conf")) {
            configText = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@ROOTFS@", rootfs.toString());
        }
        Files.writeString(configFile, configText);
        ContainerConfig config = new ConfigParser().parse(configText, configFile);
        context = new ContainerContext("b1", dir, config, dir.resolve("run/b1"), rootfs, HOST);
        installed = List.of(new NamespaceComponent(), new CapsContributor());
        plan = assemble();
        options = new LaunchOptions("b1", false);
        PlanEncoder.encode(plan, context.runDir(), options);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private LaunchPlan assemble() {
        return PlanAssembler.assemble(context, LaunchRequest.start(), installed);
    }

    /** {@code ConfigParser} on the config text (no file read: the text is in memory). */
    @Benchmark
    public ContainerConfig parseConfig() {
        return new ConfigParser().parse(configText, configFile);
    }

    /** {@code ConfigParser} reading the config file, as a start does. */
    @Benchmark
    public ContainerConfig parseConfigFile() {
        return new ConfigParser().parse(configFile);
    }

    /** The plan from a parsed config: every contributor, then the plan's cross-step checks. */
    @Benchmark
    public LaunchPlan assemblePlan() {
        return assemble();
    }

    /** The plan to the launcher's PLAN payload. */
    @Benchmark
    public byte[] encodePlan() throws LaunchException {
        return PlanEncoder.encode(plan, context.runDir(), options);
    }

    /** Parse, assemble and encode: all the Java work of a start before the launcher is spawned. */
    @Benchmark
    public byte[] parseAssembleEncode() throws LaunchException {
        ContainerConfig config = new ConfigParser().parse(configFile);
        ContainerContext c = new ContainerContext("b1", dir, config, context.runDir(), context.rootfs(), HOST);
        LaunchPlan p = PlanAssembler.assemble(c, LaunchRequest.start(), installed);
        return PlanEncoder.encode(p, c.runDir(), options);
    }
}
