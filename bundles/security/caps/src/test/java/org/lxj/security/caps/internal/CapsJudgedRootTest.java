package org.lxj.security.caps.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * Capability keys in real containers (root, the real launcher, core's execute with this contributor installed; the
 * host's {@code /} is the rootfs, read only through {@code /proc/self/status}): with no key the container keeps the
 * runtime's bounding set and inheritable and ambient are empty; a drop by name or number clears only that bit; a
 * keep leaves only its bits; {@code none} keeps nothing; drop and keep together fail the start as in LXC.
 */
class CapsJudgedRootTest {

    static final long MKNOD = 1L << 27;

    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;
    long runtimeBounding;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createTempDirectory(Path.of("/tmp"), "lxj-E-caps-root-");
        runRoot = Path.of("/run/lxj-E-caps-test-" + id);
        JnaSyscalls sys = new JnaSyscalls();
        runtime = new RuntimeComponent(SystemConfig.defaults(), sys, new RunLayout(runRoot));
        runtime.addStorageBackend(new DirStorageBackend(sys), 0);
        runtime.setLauncher(new NativeLauncher());
        runtime.setHostFacts(new HostFacts("test", "x86_64", Set.of(), List.of(), CgroupLayout.NONE, List.of(),
                false, Set.of(), 0));
        runtime.addContributor(new CapsContributor());
        try (InputStream in = Files.newInputStream(Path.of("/proc/self/status"))) {
            runtimeBounding = field(new String(in.readAllBytes(), StandardCharsets.UTF_8), "CapBnd");
        }
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

    static long field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name + ":")).map(l -> Long.parseUnsignedLong(
                l.substring(name.length() + 1).trim(), 16)).findFirst().orElseThrow(() -> new AssertionError(
                        name + " not in " + status));
    }

    /** The container's {@code /proc/self/status} (of {@code cat}, the container's command) for {@code keys}. */
    String status(String name, String keys) throws IOException {
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(dir.resolve("config"), "lxc.uts.name = " + name + "\nlxc.net.0.type = empty\n" + keys);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/cat", "/proc/self/status"),
                Map.of(), OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void withoutKeysTheBoundingSetStaysAndInheritableAndAmbientAreEmpty() throws IOException {
        String s = status("plain", "");
        assertEquals(runtimeBounding, field(s, "CapBnd"), s);
        assertEquals(runtimeBounding, field(s, "CapEff"), "root's effective set is its bounding set: " + s);
        assertEquals(0, field(s, "CapInh"), s);
        assertEquals(0, field(s, "CapAmb"), s);
    }

    @Test
    void dropByNameOrNumberClearsOnlyBit27() throws IOException {
        assumeTrue((runtimeBounding & MKNOD) != 0, "the runtime itself lacks CAP_MKNOD");
        for (String value : List.of("mknod", "27", "MKNOD")) {
            String s = status("drop" + value, "lxc.cap.drop = " + value + "\n");
            assertEquals(runtimeBounding & ~MKNOD, field(s, "CapBnd"), value + ": " + s);
            assertEquals(runtimeBounding & ~MKNOD, field(s, "CapEff"), value + ": " + s);
            assertEquals(runtimeBounding & ~MKNOD, field(s, "CapPrm"), value + ": " + s);
            assertEquals(0, field(s, "CapInh"), s);
            assertEquals(0, field(s, "CapAmb"), s);
        }
    }

    @Test
    void keepLeavesOnlyItsBitsAndNoneKeepsNothing() throws IOException {
        String s = status("keep", "lxc.cap.keep = mknod\n");
        assertEquals(MKNOD, field(s, "CapBnd"), s);
        assertEquals(MKNOD, field(s, "CapEff"), s);
        assertEquals(0, field(s, "CapInh"), s);
        assertEquals(0, field(s, "CapAmb"), s);
        String two = status("keep2", "lxc.cap.keep = mknod\nlxc.cap.keep = sys_admin\n");
        assertEquals(MKNOD | 1L << 21, field(two, "CapBnd"), "keep lines accumulate: " + two);
        String none = status("none", "lxc.cap.keep = none\n");
        assertEquals(0, field(none, "CapBnd"), none);
        assertEquals(0, field(none, "CapEff"), none);
    }

    @Test
    void dropAndKeepTogetherFailTheStart() {
        LxjException e = assertThrows(LxjException.class,
                () -> status("both", "lxc.cap.drop = mknod\nlxc.cap.keep = sys_admin\n"));
        // LXC's words, at the line that broke the rule
        assertTrue(e.getMessage().endsWith("/both/config:4: Keeping and dropping capabilities are mutually exclusive: "
                + "clear lxc.cap.drop with an empty value first"), e.getMessage());
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
