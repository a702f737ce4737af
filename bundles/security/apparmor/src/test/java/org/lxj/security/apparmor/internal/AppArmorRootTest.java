package org.lxj.security.apparmor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.LxjException;
import org.lxj.api.Stdio;
import org.lxj.api.config.SystemConfig;
import org.lxj.core.internal.run.RunLayout;
import org.lxj.core.internal.runtime.RuntimeComponent;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.linux.Syscalls;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.storage.dir.internal.DirStorageBackend;

/**
 * Real containers on a host without AppArmor (root, the real launcher, core's execute with this backend
 * installed): a requested profile fails the start with the backend's message before anything runs, while
 * {@code unconfined} and {@code allow_incomplete = 1} run. The host's rootfs ({@code /}) is the container's.
 */
class AppArmorRootTest {

    static final List<String> LSMS = List.of("lockdown", "capability", "landlock", "bpf");

    Syscalls sys;
    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
        String id = UUID.randomUUID().toString().substring(0, 8);
        sys = new JnaSyscalls();
        lxcpath = Files.createTempDirectory(Path.of("/tmp"), "lxj-apparmor-root-");
        runRoot = Path.of("/run/lxj-apparmor-test-" + id);
        runtime = new RuntimeComponent(SystemConfig.defaults(), sys, new RunLayout(runRoot));
        runtime.addStorageBackend(new DirStorageBackend(sys), 0);
        runtime.setLauncher(new NativeLauncher());
        runtime.setHostFacts(new HostFacts("test", "x86_64", Set.of(), apparmor() ? List.of("apparmor") : LSMS,
                CgroupLayout.NONE, List.of(), false, Set.of(), 0));
        runtime.addLsmBackend(new AppArmorBackend(), 0);
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            deleteTree(runRoot);
            deleteTree(lxcpath);
        }
    }

    static boolean apparmor() {
        return Files.isDirectory(AppArmorBackend.SECURITYFS);
    }

    static void withoutAppArmor() {
        assumeFalse(apparmor(), "AppArmor is enabled here; this test is about hosts without it");
    }

    String execute(String name, String apparmor) throws IOException {
        return execute(name, apparmor, "echo ran");
    }

    String execute(String name, String apparmor, String script) throws IOException {
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(dir.resolve("config"), "lxc.uts.name = " + name + "\n" + apparmor);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script),
                Map.of(), OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aGeneratedProfileFailsTheStartClearly() {
        withoutAppArmor();
        LxjException e = assertThrows(LxjException.class,
                () -> execute("gen", "lxc.apparmor.profile = generated\n"));
        assertEquals("Config key \"lxc.apparmor.profile\" = \"generated\" needs AppArmor, which this host does not "
                + "provide: AppArmor is not an active LSM (active: lockdown,capability,landlock,bpf)", e.getMessage());
    }

    @Test
    void aNamedProfileFailsTooAndNothingIsLeftInTheRunDirectory() throws IOException {
        withoutAppArmor();
        LxjException e = assertThrows(LxjException.class,
                () -> execute("named", "lxc.apparmor.profile = lxc-container-default-cgns\n"));
        assertTrue(e.getMessage().startsWith("Config key \"lxc.apparmor.profile\" = "
                + "\"lxc-container-default-cgns\" needs AppArmor"), e.getMessage());
        try (Stream<Path> s = Files.exists(runRoot) ? Files.walk(runRoot) : Stream.empty()) {
            // lock files stay by design; nothing else of the failed start may
            assertEquals(List.of(), s.filter(Files::isRegularFile)
                    .filter(p -> !runRoot.relativize(p).startsWith("locks")).toList());
        }
    }

    @Test
    void unconfinedAndIncompleteRun() throws IOException {
        withoutAppArmor();
        assertEquals("ran\n", execute("unconfined", "lxc.apparmor.profile = unconfined\n"));
        assertEquals("ran\n", execute("incomplete", "lxc.apparmor.profile = generated\n"
                + "lxc.apparmor.allow_incomplete = 1\n"));
        assertEquals("ran\n", execute("unset", ""));
    }

    @Test
    void aGeneratedProfileConfinesTheContainerWhereAppArmorRuns() throws IOException {
        assumeTrue(apparmor(), "AppArmor is not enabled on this host (no " + AppArmorBackend.SECURITYFS + ")");
        assumeTrue(new ProfileParser(ProfileParser.DEFAULT).installed(), "apparmor_parser is not installed");
        String out = execute("confined", "lxc.apparmor.profile = generated\n",
                "cat /proc/self/attr/current; echo 1 > /proc/sysrq-trigger; echo sysrq=$?");
        String profile = GeneratedProfile.name("confined", lxcpath);
        assertTrue(out.startsWith(profile + " (enforce)"), out);
        assertTrue(out.endsWith("sysrq=1\n"), out);
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
