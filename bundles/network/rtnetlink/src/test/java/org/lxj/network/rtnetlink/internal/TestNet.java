package org.lxj.network.rtnetlink.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.linux.CloneFlags;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.network.NetnsHandle;
import org.lxj.spi.network.NicConfig;

/**
 * Test fixtures: a "host" network namespace the test made (one thread that unshared it; every backend call runs
 * there, so nothing touches the real host's network) and "container" namespaces held by {@code unshare -n sleep}.
 */
final class TestNet implements AutoCloseable {
    final Syscalls sys;
    private final ExecutorService host;
    private final List<Process> containers = new ArrayList<>();

    TestNet(Syscalls sys) {
        this.sys = sys;
        this.host = Executors.newSingleThreadExecutor(r -> new Thread(r, "lxjt-host-netns"));
        onHost(() -> {
            sys.unshare(CloneFlags.CLONE_NEWNET);
            return null;
        });
    }

    /** Runs {@code task} in the test's host namespace. */
    <T> T onHost(Callable<T> task) {
        try {
            return host.submit(task).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a shell command in the test's host namespace and returns its output; fails on a non-zero status. */
    String shOnHost(String command) {
        return onHost(() -> {
            String ns = Path.of("/proc/thread-self").toRealPath().resolve("ns/net").toString();
            return run(List.of("nsenter", "--net=" + ns, "sh", "-c", command));
        });
    }

    /** A new network namespace with a process in it, as a container would have. */
    NetnsHandle container() throws IOException {
        Process p = onHost(() -> new ProcessBuilder("unshare", "-n", "sleep", "600").start());
        containers.add(p);
        int pid = (int) p.pid();
        // wait for unshare to have exec'ed sleep in its namespace
        waitUntil(() -> {
            try {
                String cmd = new String(java.nio.file.Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")),
                        StandardCharsets.UTF_8);
                return cmd.startsWith("sleep");
            } catch (IOException e) {
                return false;
            }
        });
        return new NetnsHandle() {
            @Override
            public int pid() {
                return pid;
            }

            @Override
            public Path namespaceFile() {
                return Path.of("/proc/" + pid + "/ns/net");
            }

            @Override
            public <T> T call(Supplier<T> task) {
                FutureTask<T> f = new FutureTask<>(() -> {
                    int fd = sys.open(namespaceFile().toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
                    try {
                        sys.setns(fd, CloneFlags.CLONE_NEWNET);
                    } finally {
                        sys.close(fd);
                    }
                    return task.get();
                });
                new Thread(f, "lxjt-container-netns").start();
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    /** Runs a shell command inside {@code c}'s network namespace; returns output, fails on non-zero status. */
    static String shIn(NetnsHandle c, String command) {
        return run(List.of("nsenter", "--net=" + c.namespaceFile(), "sh", "-c", command));
    }

    static int statusIn(NetnsHandle c, String command) {
        try {
            Process p = new ProcessBuilder("nsenter", "--net=" + c.namespaceFile(), "sh", "-c", command)
                    .redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static String run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = p.waitFor();
            if (status != 0) {
                throw new IllegalStateException(argv + " exited " + status + ": " + out);
            }
            return out;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void waitUntil(Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Condition not met in 10 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Ends a container's namespace holder and waits for it to be gone. */
    void stop(NetnsHandle c) {
        for (Process p : containers) {
            if (p.pid() == c.pid()) {
                p.destroyForcibly();
                try {
                    p.waitFor();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    static ContainerContext context(String name, Path dir, Map<String, String> keys) {
        List<ConfigEntry> entries = new ArrayList<>();
        int line = 1;
        for (Map.Entry<String, String> e : keys.entrySet()) {
            entries.add(new ConfigEntry(e.getKey(), e.getValue(), dir.resolve("config"), line++,
                    e.getKey() + " = " + e.getValue()));
        }
        ContainerConfig config = new ContainerConfig() {
            @Override
            public Optional<Path> source() {
                return Optional.of(dir.resolve("config"));
            }

            @Override
            public List<ConfigEntry> entries() {
                return entries;
            }

            @Override
            public Optional<String> item(String key) {
                return value(key);
            }

            @Override
            public List<String> values(String key) {
                return entries.stream().filter(e -> e.key().equals(key)).map(ConfigEntry::value).toList();
            }
        };
        HostFacts facts = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID, List.of(), false,
                Set.of(), 0);
        return new ContainerContext(name, dir.getParent(), config, dir, dir.resolve("rootfs"), facts);
    }

    /** {@code lxc.net.0.KEY = VALUE} for each pair of {@code keyValues}, in order, in a map a test may add to. */
    static Map<String, String> nic0(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("Keys and values come in pairs: " + List.of(keyValues));
        }
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            keys.put("lxc.net.0." + keyValues[i], keyValues[i + 1]);
        }
        return keys;
    }

    static NicConfig nic(ContainerContext ctx, int index) {
        return NicConfig.fromConfig(ctx.config()).stream().filter(n -> n.index() == index).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        for (Process p : containers) {
            p.destroyForcibly();
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        host.shutdownNow();
    }
}
