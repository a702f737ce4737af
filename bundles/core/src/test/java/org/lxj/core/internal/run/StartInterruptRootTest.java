package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerState;
import org.lxj.api.StartOptions;
import org.lxj.core.internal.runtime.RuntimeComponent;

/**
 * A start whose thread is interrupted (the daemon's client hung up during {@code lxc-start}) never leaves a
 * container half started: the start completes, and the interrupt is still pending afterwards for the caller to
 * honour. Root, real kernel, real launcher; everything removed afterwards.
 */
class StartInterruptRootTest {
    private static final Duration BOUND = RootRuns.BOUND;

    private RootRuns.Host host;
    private RootRuns runs;
    private Path lxcpath;
    private RuntimeComponent runtime;

    @BeforeEach
    void setUp() throws IOException {
        host = RootRuns.Host.open("lxj-start-interrupt-");
        runs = new RootRuns(host, "lxj-test-", RootRuns.NO_CGROUPS);
        lxcpath = runs.lxcpath;
        runtime = runs.newRuntime();
        Path dir = Files.createDirectories(lxcpath.resolve("c1"));
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + host.rootfs() + "\n"
                + "lxc.uts.name = c1\n"
                + "lxc.net.0.type = empty\n"
                + "lxc.mount.auto = proc:mixed\n"
                + "lxc.init.cmd = /bin/sh -c 'trap \"\" PWR; while :; do sleep 1; done'\n");
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (runs != null) {
                runs.close();
            }
        } finally {
            if (host != null) {                                // also when setUp failed half way
                host.close();
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
