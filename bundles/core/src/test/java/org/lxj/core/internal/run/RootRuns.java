package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.lxj.api.AttachOptions;
import org.lxj.api.ContainerState;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.LxjException;
import org.lxj.api.Stdio;
import org.lxj.api.StopOptions;
import org.lxj.api.config.SystemConfig;
import org.lxj.core.internal.runtime.RuntimeComponent;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.linux.Syscalls;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

/**
 * The shared set-up of the root tests that run real containers through runtimes with the real launcher, the bind
 * storage backend and a busybox rootfs: a {@link Host} per test class (root and the host's static busybox assumed,
 * a temp base holding the rootfs), then one {@code RootRuns} per test: an lxcpath below the base, a run root
 * {@code /run/<prefix><id>} and the runtimes made on it. {@link #close} stops every container still active and waits
 * for its cleanup, closes the runtimes and removes mounts, run root and lxcpath, even when the test failed half-way.
 */
final class RootRuns implements AutoCloseable {
    static final Duration BOUND = Duration.ofSeconds(30);
    /** Host facts without cgroup hierarchies, for the tests that install no cgroup backend. */
    static final HostFacts NO_CGROUPS = new HostFacts("test", "x86_64", Set.of(), List.of(), CgroupLayout.NONE,
            List.of(), false, Set.of(), 0);

    /** What a test class shares: the syscalls, a temp base and the busybox rootfs in it. */
    record Host(Syscalls sys, Path base, Path rootfs) implements AutoCloseable {
        /** Assumes root and {@code /bin/busybox}; makes {@code /tmp/<prefix>…/rootfs}. */
        static Host open(String prefix) throws IOException {
            assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
            Path busybox = Path.of("/bin/busybox");
            assumeTrue(Files.isRegularFile(busybox), "needs /bin/busybox (Debian busybox-static)");
            Syscalls sys = new JnaSyscalls();
            Path base = Files.createTempDirectory(Path.of("/tmp"), prefix);
            try {
                return new Host(sys, base, BusyboxRootfs.make(base.resolve("rootfs"), busybox));
            } catch (IOException | RuntimeException e) {
                Cleanup.deleteTree(base);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            Cleanup.detachMountsUnder(sys, base);
            Cleanup.deleteTree(base);
        }
    }

    /** What a command printed and its exit status. */
    record Result(int status, String out, String err) {
    }

    final Host host;
    final Path lxcpath;
    final Path runRoot;
    private final HostFacts facts;
    private final List<RuntimeComponent> runtimes = new ArrayList<>();

    /** A fresh lxcpath below the host's base and the run root {@code /run/<runPrefix><id>}; no runtime yet. */
    RootRuns(Host host, String runPrefix, HostFacts facts) throws IOException {
        this.host = host;
        this.facts = facts;
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createDirectories(host.base().resolve("lxc-" + id));
        runRoot = Path.of("/run/" + runPrefix + id);
    }

    /** A runtime on the run root with the bind storage backend, the launcher and the host facts. */
    RuntimeComponent newRuntime() {
        RuntimeComponent r = new RuntimeComponent(SystemConfig.defaults(), host.sys(), new RunLayout(runRoot));
        runtimes.add(r);
        r.addStorageBackend(new BindStorage(host.sys()), 0);
        r.setLauncher(new NativeLauncher());
        r.setHostFacts(facts);
        return r;
    }

    /** Defines {@code name} on the busybox rootfs with no network and {@code proc:mixed sys:ro}, plus {@code extra}. */
    void define(String name, String extra) throws IOException {
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + host.rootfs() + "\n"
                + "lxc.net.0.type = empty\n"
                + "lxc.mount.auto = proc:mixed sys:ro\n"
                + extra);
    }

    /** {@code lxc-attach -n name -- /bin/sh -c script} with empty stdin. */
    Result attach(RuntimeComponent runtime, String name, String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.attach(lxcpath, name, new AttachOptions(List.of("/bin/sh", "-c", script), Set.of(),
                Set.of(), false, false, List.of(), List.of(), OptionalInt.empty(), OptionalInt.empty()),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** {@code lxc-execute -n name -s overrides -- /bin/sh -c script} with empty stdin. */
    Result execute(RuntimeComponent runtime, String name, String script, Map<String, String> overrides) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), overrides,
                OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Kills what still runs (through the runtime made last), closes the runtimes, removes what the test made. */
    @Override
    public void close() throws IOException {
        try {
            if (!runtimes.isEmpty() && Files.isDirectory(lxcpath)) {
                RuntimeComponent runtime = runtimes.get(runtimes.size() - 1);
                try (Stream<Path> s = Files.list(lxcpath)) {
                    for (String name : s.map(p -> p.getFileName().toString()).toList()) {
                        try {
                            if (runtime.get(lxcpath, name).state().isActive()) {
                                runtime.stop(lxcpath, name, new StopOptions(false, true, false, false, BOUND));
                            }
                            // the watcher's cleanup emits STOPPED last: the runtimes close after it
                            runtime.waitFor(lxcpath, name, Set.of(ContainerState.STOPPED), BOUND);
                        } catch (LxjException e) {
                            System.err.println("teardown: " + name + ": " + e.getMessage());
                        }
                    }
                }
            }
        } finally {
            runtimes.forEach(RuntimeComponent::close);
            Cleanup.detachMountsUnder(host.sys(), runRoot);
            Cleanup.detachMountsUnder(host.sys(), lxcpath);
            Cleanup.deleteTree(runRoot);
            Cleanup.deleteTree(lxcpath);
        }
    }
}
