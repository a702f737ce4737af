package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ContainerState;
import org.lxj.api.event.ContainerEvent;

/**
 * A second runtime reconciling while another process holds a container's start lock: a real init process (a
 * {@code sleep}), real {@code /proc}, the launcher's monitor client (no monitor socket yet, as early in a start)
 * and a child JVM holding the lock file as a starter does. Nothing is killed until that process lets go.
 */
class StartLockProcessTest {
    private static final String HOLDER = """
            import java.nio.channels.FileChannel;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;
            public class LockHolder {
                public static void main(String[] args) throws Exception {
                    try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE)) {
                        c.lock();
                        System.out.println("locked");
                        System.out.flush();
                        while (System.in.read() >= 0) {
                            // held until the test closes our stdin
                        }
                    }
                }
            }
            """;

    @TempDir
    Path tmp;
    private final List<Process> children = new ArrayList<>();
    private RunRegistry registry;

    @AfterEach
    void tearDown() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process spawn(List<String> argv) throws IOException {
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        children.add(p);
        return p;
    }

    @Test
    void aContainerStartingInAnotherProcessIsNotKilled() throws Exception {
        Path lxcpath = tmp.resolve("lxc");
        RunLayout layout = new RunLayout(tmp.resolve("run"));
        String name = "w4-lockproc";
        List<ContainerEvent> events = Collections.synchronizedList(new ArrayList<>());
        HostProcesses procs = new HostProcesses();
        registry = new RunRegistry(layout, new ContainerLocks(layout), MonitorLink.Factory.launcher(), procs,
                s -> { }, events::add, (p, n) -> { });

        Process init = spawn(List.of("sleep", "600"));
        long start = procs.startTime((int) init.pid()).orElseThrow();
        Path dir = layout.dir(lxcpath, name);
        Files.createDirectories(dir);
        registry.write(new RunState(name, lxcpath, RunState.STARTING, (int) init.pid(), start, (int) init.pid(),
                "", Path.of("/"), dir.resolve("rootfs"), false, 0, 2, 9, false, false));

        Path lockFile = layout.lock(lxcpath, name);
        Files.createDirectories(lockFile.getParent());
        Path source = tmp.resolve("LockHolder.java");
        Files.writeString(source, HOLDER, StandardCharsets.UTF_8);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process starter = spawn(List.of(java, source.toString(), lockFile.toString()));
        BufferedReader out = new BufferedReader(new InputStreamReader(starter.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("locked", out.readLine(), "the child process holds the start lock");

        List<Integer> signalled = Collections.synchronizedList(new ArrayList<>());
        RunRegistry.PidKiller kill = (pid, sig) -> {
            signalled.add(pid);
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        };
        assertEquals(List.of(), registry.reconcile(kill));
        assertEquals(List.of(), signalled, "nothing is killed while another process starts it");
        assertTrue(init.isAlive());
        assertTrue(Files.exists(layout.state(lxcpath, name)));
        assertEquals(ContainerState.STARTING, registry.state(lxcpath, name));
        assertTrue(events.isEmpty());

        // the starter process dies mid-start: its lock goes with it and the start is abandoned
        starter.getOutputStream().close();
        assertTrue(starter.waitFor(30, TimeUnit.SECONDS));
        assertEquals(List.of(), registry.reconcile(kill));
        assertEquals(List.of((int) init.pid()), signalled);
        assertTrue(init.waitFor(30, TimeUnit.SECONDS));
        assertFalse(Files.exists(dir), "the abandoned start is cleaned up");
    }
}
