package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.LxjException;
import org.lxj.api.Stdio;
import org.lxj.api.UnshareOptions;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.linux.Syscalls;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;

/** {@code lxc-unshare} through the real launcher (root): new namespaces of the host, no rootfs. */
class UnshareRootTest {
    Path runRoot;
    Syscalls sys;
    Unsharer unsharer;

    record Result(int status, String out, String err) {
    }

    @BeforeEach
    void setUp() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: new namespaces of the host");
        sys = new JnaSyscalls();
        runRoot = Path.of("/run/lxj-unsharetest-" + UUID.randomUUID().toString().substring(0, 8));
        unsharer = new Unsharer(new RunLayout(runRoot), () -> Optional.of(new NativeLauncher()), sys,
                Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (runRoot != null && sys != null) {
            Cleanup.detachMountsUnder(sys, runRoot);
            Cleanup.deleteTree(runRoot);
        }
    }

    Result run(Set<String> ns, Optional<String> hostname, boolean remount, OptionalLong uid, String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = unsharer.run(new UnshareOptions(ns, uid, hostname, remount, false,
                List.of("/bin/sh", "-c", script)), new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void hostnameIsSetInTheNewUtsNamespaceOnly() throws IOException {
        String host = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        Result r = run(Set.of("UTSNAME"), Optional.of("unsharedhost"), false, OptionalLong.empty(), "hostname");
        assertEquals(0, r.status(), r.err());
        assertEquals("unsharedhost\n", r.out());
        assertEquals(host, Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(), "the host's is unchanged");
        assertEquals(List.of(), Files.list(runRoot.resolve(Unsharer.DIR)).toList(), "run directory removed");
    }

    @Test
    void exitStatusPropagates() {
        assertEquals(3, run(Set.of("UTSNAME"), Optional.empty(), false, OptionalLong.empty(), "exit 3").status());
        assertEquals(0, run(Set.of("IPC"), Optional.empty(), false, OptionalLong.empty(), "true").status());
        assertEquals(137, run(Set.of("UTSNAME"), Optional.empty(), false, OptionalLong.empty(), "kill -9 $$")
                .status());
    }

    @Test
    void pidAndMountWithRemountGiveAFreshProcAndPid1() throws IOException {
        String hostMnt = Files.readSymbolicLink(Path.of("/proc/self/ns/mnt")).toString();
        Result r = run(Set.of("MOUNT|PID"), Optional.empty(), true, OptionalLong.empty(),
                "echo $$; ls /proc | grep -c '^[0-9]'; readlink /proc/self/ns/mnt; "
                        + "grep -c ' /dev/mqueue .* - mqueue ' /proc/self/mountinfo; grep -c ' /dev/shm .* - tmpfs ' /proc/self/mountinfo");
        assertEquals(0, r.status(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("1", lines[0], r.out());
        assertTrue(Integer.parseInt(lines[1]) <= 3, "only the new pid namespace's processes: " + r.out());
        assertTrue(!lines[2].equals(hostMnt), "a new mount namespace");
        assertEquals("1", lines[3], r.out());
        long hostShm = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.matches(".* /dev/shm .* - tmpfs .*")).count();
        assertEquals(Long.toString(hostShm + 1), lines[4], "a fresh /dev/shm on top: " + r.out());
        assertEquals(0, Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(runRoot.toString())).count(), "nothing mounted on the host");
    }

    @Test
    void userNamespaceWithAUid() {
        Result r = run(Set.of("USER"), Optional.empty(), false, OptionalLong.of(1000), "id -u");
        assertEquals(0, r.status(), r.err());
        assertEquals("1000\n", r.out());
    }

    @Test
    void refusalsReadAsLxcs() {
        LxjException none = assertThrows(LxjException.class, () -> unsharer.plan(new UnshareOptions(Set.of(),
                OptionalLong.empty(), Optional.empty(), false, false, List.of("true"))));
        assertEquals("A namespace to execute command is required", none.getMessage());
        LxjException h = assertThrows(LxjException.class, () -> unsharer.plan(new UnshareOptions(Set.of("IPC"),
                OptionalLong.empty(), Optional.of("x"), false, false, List.of("true"))));
        assertEquals("-H <hostname> needs -s UTSNAME option", h.getMessage());
        LaunchPlan p = unsharer.plan(new UnshareOptions(Set.of("NETWORK|PID"), OptionalLong.empty(), Optional.empty(),
                false, false, List.of("true")));
        assertEquals(Set.of(Namespace.NET, Namespace.PID), p.cloneNamespaces());
        assertTrue(p.rootfs().isEmpty(), "the host's root stays");
    }
}
