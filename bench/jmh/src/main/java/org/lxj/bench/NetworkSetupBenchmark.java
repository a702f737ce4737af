package org.lxj.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.lxj.core.internal.config.ConfigParser;
import org.lxj.core.internal.net.NamespaceThread;
import org.lxj.linux.CloneFlags;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.RtRequests;
import org.lxj.network.rtnetlink.internal.VethBackend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.network.NetnsHandle;
import org.lxj.spi.network.NicConfig;
import org.lxj.spi.network.PreparedNic;
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
 * The network part of a start for one veth on a bridge: {@code prepareHost} (veth pair, host side up and on the
 * bridge) plus {@code configure} (move into the container's namespace, rename, MAC, address, up, default route),
 * as {@code ContainerStarter} runs them. Root only. The "host" is a network namespace the benchmark thread
 * unshares, the container a namespace held by {@code unshare -n sleep}: the real host's network is never touched.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NetworkSetupBenchmark {
    private final JnaSyscalls sys = new JnaSyscalls();
    private VethBackend veth;
    private Process holder;
    private NetnsHandle netns;
    private ContainerContext context;
    private NicConfig nic;
    private PreparedNic prepared;
    private Path dir;

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        // JMH runs setup and benchmark of a Scope.Thread state on the same worker thread
        sys.unshare(CloneFlags.CLONE_NEWNET);
        try (RouteSocket s = new RouteSocket(sys)) {
            s.apply(RtRequests.newLink("lxjtbrb", "bridge", 0, null));
            s.apply(new RtRequests.LinkChange(s.require("lxjtbrb").index(), "lxjtbrb").up(true));
        }
        holder = new ProcessBuilder("unshare", "-n", "sleep", "3600").start();
        while (!new String(Files.readAllBytes(Path.of("/proc/" + holder.pid() + "/cmdline"))).startsWith("sleep")) {
            Thread.onSpinWait();
        }
        netns = new NamespaceThread(sys, (int) holder.pid());
        dir = Files.createTempDirectory("lxj-bench-net");
        String text = "lxc.net.0.type = veth\nlxc.net.0.link = lxjtbrb\nlxc.net.0.flags = up\n"
                + "lxc.net.0.name = eth0\nlxc.net.0.hwaddr = 00:16:3e:12:34:56\n"
                + "lxc.net.0.ipv4.address = 10.99.0.2/24\nlxc.net.0.ipv4.gateway = 10.99.0.1\n";
        context = new ContainerContext("bench", dir, new ConfigParser().parse(text, dir.resolve("config")), dir,
                dir.resolve("rootfs"), new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID,
                        List.of(), false, Set.of(), 0));
        nic = NicConfig.fromConfig(context.config()).get(0);
        veth = new VethBackend(sys);
    }

    @Benchmark
    public PreparedNic vethOnBridge() {
        prepared = veth.prepareHost(context, nic);
        veth.configure(context, nic, prepared, netns);
        return prepared;
    }

    /** The host side alone: the veth pair made, its host end up on the bridge. */
    @Benchmark
    public PreparedNic vethPrepareHostOnly() {
        prepared = veth.prepareHost(context, nic);
        return prepared;
    }

    @TearDown(Level.Invocation)
    public void removeInterface() {
        if (prepared != null) {
            veth.teardown(prepared);
            prepared = null;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException, InterruptedException {
        holder.destroyForcibly();
        holder.waitFor();
        Files.deleteIfExists(dir);
        // the bridge goes with this thread's namespace when the worker thread ends
        try (RouteSocket s = new RouteSocket(sys)) {
            s.apply(RtRequests.deleteLink("lxjtbrb"));
        }
    }
}
