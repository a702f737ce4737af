package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerState;
import org.lxj.api.LxjException;
import org.lxj.api.StartOptions;
import org.lxj.api.StopOptions;
import org.lxj.core.internal.runtime.RuntimeComponent;

/**
 * {@code lxc.hook.*} on real containers (root): every hook writes a line with its type, its mount namespace and its
 * arguments to one log inside the rootfs (the start hook runs after the pivot and sees it as {@code /hooklog}), so
 * the test reads which hooks ran, in which namespace and in which order.
 */
class HookRootTest {
    static final Duration BOUND = RootRuns.BOUND;
    static RootRuns.Host host;
    static Path base;
    static Path rootfs;
    static Path hook;

    RootRuns runs;
    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;

    @BeforeAll
    static void rootAndBusybox() throws IOException {
        host = RootRuns.Host.open("lxj-hook-root-");
        base = host.base();
        rootfs = host.rootfs();
        // one script for the hooks that see host paths; the start hook gets the same one inside the rootfs
        String script = "#!/bin/sh\n"
                + "log=\"$1\"; shift\n"
                + "ns=$(readlink /proc/self/ns/mnt)\n"
                + "echo \"${LXC_HOOK_TYPE:-v0} $ns $LXC_NAME ${LXC_MNT_NS:+mntref=$(readlink $LXC_MNT_NS)} $*\" >> \"$log\"\n"
                + "exit ${HOOK_EXIT:-0}\n";
        hook = base.resolve("hook.sh");
        Files.writeString(hook, script);
        Files.writeString(rootfs.resolve("hook.sh"), script);
        for (Path p : List.of(hook, rootfs.resolve("hook.sh"))) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        runs = new RootRuns(host, "lxj-hooktest-", RootRuns.NO_CGROUPS);
        lxcpath = runs.lxcpath;
        runRoot = runs.runRoot;
        runtime = runs.newRuntime();
        Files.deleteIfExists(rootfs.resolve("hooklog"));
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            runs.close();
        } finally {
            Files.deleteIfExists(rootfs.resolve("hooklog"));
        }
    }

    void define(String name, String extra) throws IOException {
        runs.define(name, "lxc.uts.name = " + name + "\n"
                + "lxc.init.cmd = /bin/sh -c 'trap \"exit 0\" PWR TERM; while :; do sleep 1; done'\n"
                + extra);
    }

    List<String> log() throws IOException {
        Path f = rootfs.resolve("hooklog");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    static String hostMnt() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
    }

    void stopAndWait(String name) {
        runtime.stop(lxcpath, name, new StopOptions(false, false, false, false, BOUND));
        assertTrue(runtime.waitFor(lxcpath, name, Set.of(ContainerState.STOPPED), BOUND));
    }

    @Test
    void everyHookRunsOnceInItsNamespaceAndInLxcOrder() throws IOException {
        String log = rootfs.resolve("hooklog").toString();
        StringBuilder hooks = new StringBuilder("lxc.hook.version = 1\n");
        for (String type : List.of("pre-start", "pre-mount", "mount", "autodev", "start-host", "stop", "post-stop")) {
            hooks.append("lxc.hook.").append(type).append(" = ").append(hook).append(' ').append(log).append('\n');
        }
        hooks.append("lxc.hook.start = /hook.sh /hooklog\n");
        define("hk", hooks.toString());
        runtime.start(lxcpath, "hk", StartOptions.DEFAULT);
        String inner = Files.readSymbolicLink(Path.of("/proc", Long.toString(runtime.get(lxcpath, "hk").initPid()
                .orElseThrow()), "ns/mnt")).toString();
        assertNotEquals(hostMnt(), inner);
        List<String> started = log();
        assertEquals(List.of("pre-start", "pre-mount", "mount", "autodev", "start", "start-host"),
                started.stream().map(l -> l.split(" ")[0]).toList(), String.join("\n", started));
        for (String l : started) {
            String[] f = l.split(" ");
            boolean host = f[0].equals("pre-start") || f[0].equals("start-host");
            assertEquals(host ? hostMnt() : inner, f[1], l);
            assertEquals("hk", f[2], l);
        }
        stopAndWait("hk");
        List<String> all = log();
        assertEquals(8, all.size(), String.join("\n", all));
        String stop = all.get(6);
        String postStop = all.get(7);
        assertTrue(stop.startsWith("stop " + hostMnt() + " hk mntref=" + inner), stop);
        assertTrue(postStop.startsWith("post-stop " + hostMnt() + " hk"), postStop);
        assertFalse(postStop.contains("mntref"), postStop);
        assertFalse(Files.exists(runRoot.resolve(RunLayout.lxcpathId(lxcpath)).resolve("hk")), "run dir gone");
    }

    @Test
    void version0PassesNameSectionTypeAndStopNamespacesAsArguments() throws IOException {
        String log = rootfs.resolve("hooklog").toString();
        define("hk0", "lxc.hook.pre-start = " + hook + " " + log + "\n"
                + "lxc.hook.stop = " + hook + " " + log + "\n");
        runtime.start(lxcpath, "hk0", StartOptions.DEFAULT);
        String inner = Files.readSymbolicLink(Path.of("/proc", Long.toString(runtime.get(lxcpath, "hk0").initPid()
                .orElseThrow()), "ns/mnt")).toString();
        stopAndWait("hk0");
        List<String> lines = log();
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertEquals("v0 " + hostMnt() + " hk0  hk0 lxc pre-start", lines.get(0));
        assertTrue(lines.get(1).startsWith("v0 " + hostMnt() + " hk0  hk0 lxc stop "), lines.get(1));
        assertTrue(lines.get(1).matches(".* mnt:/proc/\\d+/fd/\\d+.*"), lines.get(1));
        assertTrue(lines.get(1).contains(" pid:/proc/"), lines.get(1));
        assertNotEquals(hostMnt(), inner);
    }

    @Test
    void failingPreStartAbortsAndLeavesNothingBehind() throws IOException {
        define("bad", "lxc.hook.pre-start = /bin/sh -c 'exit 3'\n");
        LxjException e = assertThrows(LxjException.class, () -> runtime.start(lxcpath, "bad", StartOptions.DEFAULT));
        assertEquals("Hook pre-start \"/bin/sh -c 'exit 3'\" exited with status 3", e.getMessage());
        assertNothingLeft("bad");
    }

    @Test
    void failingMountHookInsideTheContainerAbortsBeforeStartHost() throws IOException {
        Path failing = base.resolve("fail-mount.sh");
        Files.writeString(failing, "#!/bin/sh\nexit 4\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwxr-xr-x"));
        define("badmount", "lxc.hook.mount = " + failing + "\n"
                + "lxc.hook.start-host = " + hook + " " + rootfs.resolve("hooklog") + "\n");
        LxjException e = assertThrows(LxjException.class,
                () -> runtime.start(lxcpath, "badmount", StartOptions.DEFAULT));
        assertTrue(e.getMessage().contains("Hook mount \"" + failing + "\" exited with status 4"), e.getMessage());
        assertEquals(List.of(), log(), "start-host never ran");
        assertNothingLeft("badmount");
    }

    void assertNothingLeft(String name) throws IOException {
        assertEquals(ContainerState.STOPPED, runtime.get(lxcpath, name).state());
        assertFalse(Files.exists(runRoot.resolve(RunLayout.lxcpathId(lxcpath)).resolve(name)), "run dir gone");
        assertEquals(List.of(), Cleanup.mountsUnder(runRoot), "no mount left");
        assertEquals(List.of(), Cleanup.processesWithCwdOrRootUnder(rootfs), "no process left");
    }
}
