package org.lxj.security.selinux.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.storage.dir.internal.DirStorageBackend;

/**
 * Real containers (root, the real launcher, core's execute with this backend installed; the host's {@code /} is
 * the rootfs) on a host without SELinux: a requested context fails the start with the backend's message before
 * anything runs and leaves nothing in the run directory; without the key the container runs. Where SELinux runs,
 * the container's process carries the requested context.
 */
class SelinuxJudgedRootTest {

    static final String CTX = "system_u:system_r:container_t:s0:c22,c33";

    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;

    static List<String> activeLsms() throws IOException {
        Path lsm = Path.of("/sys/kernel/security/lsm");
        if (!Files.isRegularFile(lsm)) {
            // without securityfs the kernel's list is not readable; this host's is known to lack SELinux
            return Files.isRegularFile(SelinuxBackend.SELINUXFS.resolve("enforce")) ? List.of("selinux")
                    : List.of("lockdown", "capability", "landlock", "bpf");
        }
        try (InputStream in = Files.newInputStream(lsm)) {
            return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(","));
        }
    }

    static boolean selinux() {
        return Files.isRegularFile(SelinuxBackend.SELINUXFS.resolve("enforce"));
    }

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createTempDirectory(Path.of("/tmp"), "lxj-E-selinux-root-");
        runRoot = Path.of("/run/lxj-E-selinux-test-" + id);
        runtime = new RuntimeComponent(SystemConfig.defaults(), new JnaSyscalls(), new RunLayout(runRoot));
        runtime.addStorageBackend(new DirStorageBackend(new JnaSyscalls()), 0);
        runtime.setLauncher(new NativeLauncher());
        runtime.setHostFacts(new HostFacts("test", "x86_64", Set.of(), activeLsms(), CgroupLayout.NONE, List.of(),
                false, Set.of(), 0));
        runtime.addLsmBackend(new SelinuxBackend(), 0);
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

    String execute(String name, String keys, String script) throws IOException {
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(dir.resolve("config"), "lxc.uts.name = " + name + "\n" + keys);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script),
                Map.of(), OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRequestedContextFailsTheStartClearlyAndLeavesNothing() throws IOException {
        assumeFalse(selinux(), "SELinux is enabled here; this test is about hosts without it");
        Path marker = lxcpath.resolve("ran");
        LxjException e = assertThrows(LxjException.class,
                () -> execute("ctx", "lxc.selinux.context = " + CTX + "\n", "touch " + marker));
        assertTrue(e.getMessage().startsWith("Config key \"lxc.selinux.context\" = \"" + CTX + "\" needs SELinux, "
                + "which this host does not provide: "), e.getMessage());
        assertTrue(Files.notExists(marker), "nothing of the container ran");
        try (Stream<Path> s = Files.exists(runRoot) ? Files.walk(runRoot) : Stream.empty()) {
            // lock files stay by design; nothing else of the failed start may
            assertEquals(List.of(), s.filter(Files::isRegularFile)
                    .filter(p -> !runRoot.relativize(p).startsWith("locks")).toList());
        }
        LxjException keyring = assertThrows(LxjException.class,
                () -> execute("keyring", "lxc.selinux.context.keyring = " + CTX + "\n", "true"));
        assertTrue(keyring.getMessage().contains("needs SELinux"), keyring.getMessage());
    }

    @Test
    void withoutTheKeyTheContainerRuns() throws IOException {
        assumeFalse(selinux(), "SELinux is enabled here; this test is about hosts without it");
        assertEquals("ran\n", execute("plain", "", "echo ran"));
    }

    @Test
    void theContainerRunsInTheRequestedContextWhereSelinuxRuns() throws IOException {
        assumeTrue(selinux(), "SELinux is not enabled on this host (no " + SelinuxBackend.SELINUXFS
                + "/enforce): enforcement cannot be observed here");
        String out = execute("confined", "lxc.selinux.context = " + CTX + "\n", "cat /proc/self/attr/current");
        assertEquals(CTX, out.replace("\0", "").trim());
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
