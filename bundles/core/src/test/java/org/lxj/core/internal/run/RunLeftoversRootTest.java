package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerState;
import org.lxj.api.DestroyOptions;
import org.lxj.api.StartOptions;
import org.lxj.api.StopOptions;
import org.lxj.core.internal.event.EventJournal;
import org.lxj.core.internal.runtime.RuntimeComponent;

/**
 * The run files a container leaves beside its run directory (its lock file, its lxcpath's event journal) do not
 * outlive it, with real containers (root): a destroyed container leaves none, and a runtime that starts after the
 * lxcpath was removed with {@code rm -rf} sweeps them. Containers are named {@code t3-*}; everything made is removed.
 */
class RunLeftoversRootTest {
    static RootRuns.Host host;
    RootRuns runs;
    Path lxcpath;
    RunLayout layout;

    @BeforeAll
    static void rootAndBusybox() throws IOException {
        host = RootRuns.Host.open("lxj-t3-leftovers-");
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        runs = new RootRuns(host, "lxj-t3-", RootRuns.NO_CGROUPS);
        lxcpath = runs.lxcpath;
        layout = new RunLayout(runs.runRoot);
    }

    @AfterEach
    void tearDown() throws IOException {
        runs.close();
    }

    /** Starts {@code name} (its config already written), checks it runs, stops it and waits for its cleanup. */
    void startAndStop(RuntimeComponent runtime, String name) {
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, name).state());
        runtime.stop(lxcpath, name, new StopOptions(false, false, false, false, RootRuns.BOUND));
        assertTrue(runtime.waitFor(lxcpath, name, Set.of(ContainerState.STOPPED), RootRuns.BOUND));
        assertFalse(Files.exists(layout.dir(lxcpath, name)), "run directory cleaned up");
        assertTrue(Files.exists(layout.lock(lxcpath, name)), "a stopped container keeps its lock file");
        assertTrue(Files.exists(EventJournal.file(layout, lxcpath)), "and its lxcpath's journal");
    }

    static String init() {
        return "lxc.init.cmd = /bin/sh -c 'trap \"exit 0\" PWR TERM; while :; do sleep 1; done'\n";
    }

    Path idDir() {
        return layout.root().resolve(RunLayout.lxcpathId(lxcpath));
    }

    Path lockDir() {
        return layout.root().resolve(RunLayout.LOCKS).resolve(RunLayout.lxcpathId(lxcpath));
    }

    @Test
    void aRuntimeStartedAfterRmRfOfTheLxcpathRemovesItsJournalAndLock() throws IOException {
        RuntimeComponent first = runs.newRuntime();
        runs.define("t3-gone", "lxc.uts.name = t3-gone\n" + init());
        startAndStop(first, "t3-gone");
        runs.newRuntime();
        assertTrue(Files.exists(layout.lock(lxcpath, "t3-gone")), "a defined container's files stay");
        assertTrue(Files.exists(EventJournal.file(layout, lxcpath)));

        Cleanup.deleteTree(lxcpath);   // what bench/start-latency.sh did
        runs.newRuntime();
        assertFalse(Files.exists(idDir()), "journal directory " + idDir());
        assertFalse(Files.exists(lockDir()), "lock directory " + lockDir());
    }

    @Test
    void aDestroyedContainerLeavesNoJournalOrLock() throws IOException {
        RuntimeComponent runtime = runs.newRuntime();
        Path dir = Files.createDirectories(lxcpath.resolve("t3-destroyed"));
        Path rootfs = BusyboxRootfs.make(dir.resolve("rootfs"), Path.of("/bin/busybox"));
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.uts.name = t3-destroyed\n"
                + "lxc.net.0.type = empty\n"
                + "lxc.mount.auto = proc:mixed sys:ro\n"
                + init());
        startAndStop(runtime, "t3-destroyed");
        runtime.destroy(lxcpath, "t3-destroyed", DestroyOptions.DEFAULT);
        assertFalse(Files.exists(dir));
        assertFalse(Files.exists(idDir()), "journal directory " + idDir());
        assertFalse(Files.exists(lockDir()), "lock directory " + lockDir());
    }
}
