package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerState;
import org.lxj.api.LxjException;
import org.lxj.api.StartOptions;
import org.lxj.api.StopOptions;
import org.lxj.api.config.SystemConfig;
import org.lxj.core.internal.runtime.RuntimeComponent;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.linux.Syscalls;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

/**
 * A start whose thread is interrupted (the daemon's client hung up during {@code lxc-start}) never leaves a
 * container half started: the start completes, and the interrupt is still pending afterwards for the caller to
 * honour. Root, real kernel, real launcher; everything removed afterwards.
 */
class StartInterruptRootTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    private Syscalls sys;
    private Path base;
    private Path lxcpath;
    private Path runRoot;
    private RuntimeComponent runtime;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
        Path busybox = Path.of("/bin/busybox");
        assumeTrue(Files.isRegularFile(busybox), "needs /bin/busybox (Debian busybox-static)");
        sys = new JnaSyscalls();
        base = Files.createTempDirectory(Path.of("/tmp"), "lxj-start-interrupt-");
        Path rootfs = BusyboxRootfs.make(base.resolve("rootfs"), busybox);
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createDirectories(base.resolve("lxc"));
        runRoot = Path.of("/run/lxj-test-" + id);
        runtime = new RuntimeComponent(SystemConfig.defaults(), sys, new RunLayout(runRoot));
        runtime.addStorageBackend(new BindStorage(sys), 0);
        runtime.setLauncher(new NativeLauncher());
        runtime.setHostFacts(new HostFacts("test", "x86_64", Set.of(), List.of(), CgroupLayout.NONE, List.of(), false,
                Set.of(), 0));
        Path dir = Files.createDirectories(lxcpath.resolve("c1"));
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.uts.name = c1\n"
                + "lxc.net.0.type = empty\n"
                + "lxc.mount.auto = proc:mixed\n"
                + "lxc.init.cmd = /bin/sh -c 'trap \"\" PWR; while :; do sleep 1; done'\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (runtime != null && runtime.get(lxcpath, "c1").state().isActive()) {
                runtime.stop(lxcpath, "c1", new StopOptions(false, true, false, false, BOUND));
            }
        } catch (LxjException e) {
            System.err.println("teardown: " + e.getMessage());
        } finally {
            if (runtime != null) {
                runtime.close();
            }
            if (runRoot != null) {
                Cleanup.detachMountsUnder(sys, runRoot);
                Cleanup.deleteTree(runRoot);
            }
            if (base != null) {                                // also when setUp failed half way
                Cleanup.detachMountsUnder(sys, base);
                Cleanup.deleteTree(base);
            }
        }
    }

    @Test
    void anInterruptedStartCompletesAndKeepsTheInterrupt() throws Exception {
        CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                Thread.currentThread().interrupt();            // as the daemon does when the client hangs up
                runtime.start(lxcpath, "c1", StartOptions.DEFAULT);
                stillInterrupted.complete(Thread.currentThread().isInterrupted());
            } catch (Throwable e) {
                stillInterrupted.completeExceptionally(e);
            }
        }, "interrupted-start");
        t.start();
        assertTrue(stillInterrupted.get(BOUND.toSeconds(), TimeUnit.SECONDS), "the interrupt is kept for the caller");
        assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, "c1").state(), "the container runs");
    }
}
