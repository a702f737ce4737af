package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The vendor kit (issue 9), as a vendor and a third party use it: the lxj-minimal and lxj-server
 * distributions the build packs, the example tmpfs backend (examples/tmpfs-backend) installed into a running
 * daemon and refused a stop while a container uses it, and a distribution built from a custom bndrun by the
 * documented single Maven command, unpacked and started.
 */
class VendorKitIT {
    private static final Path TARGET = LxjExamSupport.DIST.getParent();
    private static final Path ROOT = TARGET.getParent().getParent();
    private static final Path MINIMAL = TARGET.resolve("lxj-minimal");
    private static final Path SERVER = TARGET.resolve("lxj-server");
    private static final Path EXAMPLE = ROOT.resolve("examples/tmpfs-backend");
    private static final Path EXAMPLE_JAR = EXAMPLE.resolve("target/storage.tmpfs-1.0.0.jar");
    private static final String TMPFS_BSN = "org.example.lxj.storage.tmpfs";
    private static final long TIMEOUT_SECONDS = 600;

    private Path scratch;
    private final List<Runnable> cleanups = new ArrayList<>();

    @BeforeEach
    void scratch() throws IOException {
        scratch = Files.createTempDirectory("lxj-it-vendor-");
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (int i = cleanups.size() - 1; i >= 0; i--) {
            cleanups.get(i).run();
        }
        LxjExamSupport.deleteTree(scratch);
    }

    @Test
    void minimalHasNoBtrfsBackendAndSaysSo() throws Exception {
        assumeTrue(Files.isExecutable(MINIMAL.resolve("bin/lxj")), "lxj-minimal is not built: " + MINIMAL);
        Path lxcpath = Files.createDirectory(scratch.resolve("lxc"));
        cleanups.add(() -> removeRunFiles(lxcpath));
        Result version = run(MINIMAL, Map.of(), "--version");
        assertEquals(0, version.status, version.toString());
        assertTrue(version.out.matches("LXJ \\S+ \\(profile minimal\\)\n"), version.toString());

        Result create = run(MINIMAL, Map.of(), "lxc-create", "-n", "b1", "-B", "btrfs", "-t", "none",
                "-P", lxcpath.toString());
        assertEquals(1, create.status, create.toString());
        assertTrue(create.err.contains("lxc-create: b1: no storage backend \"btrfs\" is installed"), create.toString());
        assertFalse(Files.exists(lxcpath.resolve("b1")), "nothing of the container is left");

        Result backends = run(MINIMAL, Map.of(), "lxj:backends");
        assertEquals(0, backends.status, backends.toString());
        List<String> storage = backends.out.lines().filter(l -> l.startsWith("storage ")).toList();
        assertEquals(1, storage.size(), backends.toString());
        assertTrue(storage.get(0).matches("storage\\s+dir\\s+org\\.lxj\\.storage\\.dir\\s.*\\savailable\\s.*"), storage.get(0));
        assertTrue(backends.out.lines().anyMatch(l -> l.matches("cgroup\\s+v2\\s.*")), backends.toString());
        assertTrue(backends.out.lines().noneMatch(l -> l.matches("cgroup\\s+v1\\s.*")), backends.toString());
    }

    @Test
    void serverIsHeadless() throws Exception {
        assumeTrue(Files.isExecutable(SERVER.resolve("bin/lxj")), "lxj-server is not built: " + SERVER);
        assertFalse(Files.list(SERVER.resolve("bundle")).anyMatch(p -> p.getFileName().toString().contains("jline")),
                "no JLine console in the server profile");
        assertTrue(Files.list(SERVER.resolve("bundle")).anyMatch(p -> p.getFileName().toString().startsWith("control-")),
                "the daemon's control socket bundle is in");
        Result shell = run(SERVER, Map.of());
        assertEquals(1, shell.status, shell.toString());
        assertTrue(shell.err.contains("This distribution (profile server) has no interactive shell"), shell.toString());
        Result ls = run(SERVER, Map.of(), "lxc-ls", "-P", scratch.toString());
        assertEquals(0, ls.status, ls.toString());
    }

    @Test
    void aBackendInstalledLiveServesCreateAndCannotBeStoppedUnderARunningContainer() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        Path jar = exampleJar();
        Path lxcpath = Files.createDirectory(scratch.resolve("lxc"));
        Map<String, String> env = Map.of("LXJ_CONTROL_SOCKET", scratch.resolve("control.sock").toString(),
                "LXJ_PID_FILE", scratch.resolve("daemon.pid").toString());
        Path dist = LxjExamSupport.DIST;
        String p = lxcpath.toString();
        cleanups.add(() -> removeRunFiles(lxcpath));
        cleanups.add(() -> unmountBelow(lxcpath));
        cleanups.add(() -> stopDaemon(dist, env));
        cleanups.add(() -> quietly(() -> run(dist, env, "lxc-stop", "-n", "t1", "-k", "-P", p)));
        cleanups.add(() -> quietly(() -> run(dist, env, "lxc-destroy", "-n", "t1", "-f", "-P", p)));

        Result daemon = run(dist, env, "daemon");
        assertEquals(0, daemon.status, daemon.toString());
        Result before = run(dist, env, "lxc-create", "-n", "t0", "-B", "tmpfs", "-t", "none", "-P", p);
        assertEquals(1, before.status, before.toString());
        assertTrue(before.err.contains("no storage backend \"tmpfs\" is installed"), before.toString());

        Result install = run(dist, env, "lxj:install", jar.toString());
        assertEquals(0, install.status, install.toString());
        assertTrue(install.out.contains("Started " + TMPFS_BSN + " 1.0.0") && install.out.contains("storage backend \"tmpfs\""),
                install.toString());
        Result listed = run(dist, env, "lxj:backends");
        assertTrue(listed.out.lines().anyMatch(l -> l.matches("storage\\s+tmpfs\\s+" + Pattern.quote(TMPFS_BSN)
                + "\\s+1\\.0\\.0\\s+0\\s+available\\s.*")), listed.toString());

        Result create = run(dist, env, "lxc-create", "-n", "t1", "-B", "tmpfs", "-t", "busybox", "-P", p);
        assertEquals(0, create.status, create.toString());
        assertTrue(Files.readString(lxcpath.resolve("t1/config"))
                .contains("lxc.rootfs.path = tmpfs:" + lxcpath.resolve("t1/rootfs")), "the backend's path is recorded");
        assertTrue(mountsBelow(lxcpath).contains("tmpfs " + lxcpath.resolve("t1/rootfs")), "the rootfs is a tmpfs");
        Result start = run(dist, env, "lxc-start", "-n", "t1", "-P", p);
        assertEquals(0, start.status, start.toString());

        Result refused = run(dist, env, "lxj:stop", "-P", p, TMPFS_BSN);
        assertEquals(1, refused.status, refused.toString());
        assertTrue(refused.err.contains("Refusing to stop " + TMPFS_BSN + " 1.0.0 (bundle ")
                && refused.err.contains("its storage backend \"tmpfs\" is used by running container t1 (" + p + ")"),
                refused.toString());
        Result refusedUninstall = run(dist, env, "lxj:uninstall", "-P", p, TMPFS_BSN);
        assertEquals(1, refusedUninstall.status, refusedUninstall.toString());
        Result stillThere = run(dist, env, "lxc-info", "-n", "t1", "-s", "-P", p);
        assertTrue(stillThere.out.contains("RUNNING"), stillThere.toString());

        assertEquals(0, run(dist, env, "lxc-stop", "-n", "t1", "-k", "-P", p).status);
        Result destroy = run(dist, env, "lxc-destroy", "-n", "t1", "-P", p);
        assertEquals(0, destroy.status, destroy.toString());
        assertEquals(List.of(), mountsBelow(lxcpath), "destroy unmounted the tmpfs");

        Result stop = run(dist, env, "lxj:uninstall", "-P", p, TMPFS_BSN);
        assertEquals(0, stop.status, stop.toString());
        Result after = run(dist, env, "lxj:backends");
        assertFalse(after.out.contains("tmpfs"), after.toString());
        Result gone = run(dist, env, "lxc-create", "-n", "t2", "-B", "tmpfs", "-t", "none", "-P", p);
        assertTrue(gone.err.contains("no storage backend \"tmpfs\" is installed"), gone.toString());
    }

    @Test
    void theDocumentedCommandBuildsAVendorTarballThatUnpacksAndStarts() throws Exception {
        assumeTrue(which("mvn").isPresent(), "needs mvn on the PATH to build a vendor profile");
        Path jar = exampleJar();
        Path vendorBundles = Files.createDirectory(scratch.resolve("vendor-bundles"));
        Files.copy(jar, vendorBundles.resolve(jar.getFileName()));
        Path bndrun = scratch.resolve("itvendor.bndrun");
        Files.writeString(bndrun, """
                # A vendor profile: LXJ's runtime with the tmpfs backend instead of dir, no interactive shell.
                -runfw: org.apache.felix.framework;version='[7.0.5,8)'
                -runee: JavaSE-17
                -resolve.effective: active;skip:="org.apache.felix.gogo"
                -runrequires: \\
                    bnd.identity;id='org.lxj.core',\\
                    bnd.identity;id='org.lxj.launcher',\\
                    bnd.identity;id='org.lxj.namespace',\\
                    bnd.identity;id='org.lxj.security.caps',\\
                    bnd.identity;id='org.lxj.shell',\\
                    bnd.identity;id='org.example.lxj.storage.tmpfs',\\
                    bnd.identity;id='org.apache.felix.scr',\\
                    bnd.identity;id='org.apache.felix.gogo.runtime',\\
                    bnd.identity;id='org.apache.felix.gogo.command',\\
                    bnd.identity;id='ch.qos.logback.classic',\\
                    bnd.identity;id='org.apache.aries.spifly.dynamic.bundle'
                """);
        cleanups.add(() -> quietly(() -> {
            LxjExamSupport.deleteTree(TARGET.resolve("lxj-itvendor"));
            Files.deleteIfExists(TARGET.resolve("lxj-itvendor.tar.gz"));
            LxjExamSupport.deleteTree(ROOT.resolve("features/target/vendor"));
            LxjExamSupport.deleteTree(ROOT.resolve("features/target/vendor-bundles"));
            return null;
        }));

        // the command of docs/vendor.md
        Result build = exec(List.of("mvn", "-o", "-q", "-B", "-Dstyle.color=never", "-f", ROOT.resolve("pom.xml").toString(),
                "-pl", "features,runtime-dist", "package", "-DskipTests", "-Dlxj.profile=itvendor",
                "-Dlxj.bndrun=" + bndrun, "-Dlxj.vendor.bundles=" + vendorBundles), Map.of(), null);
        assertEquals(0, build.status, build.toString());
        assertTrue(Files.readString(bndrun).contains("org.example.lxj.storage.tmpfs;version='[1.0.0,1.0.1)'"),
                "the resolution was written back into the vendor's bndrun");
        Path tarball = TARGET.resolve("lxj-itvendor.tar.gz");
        assertTrue(Files.isRegularFile(tarball), tarball + " was built");

        // a fresh machine: another directory, nothing of the build used
        Path unpacked = Files.createDirectory(scratch.resolve("fresh"));
        assertEquals(0, exec(List.of("tar", "xzf", tarball.toString(), "-C", unpacked.toString()), Map.of(), null).status);
        Path home = unpacked.resolve("lxj-itvendor");
        assertTrue(Files.isExecutable(home.resolve("bin/lxj")) && Files.isExecutable(home.resolve("libexec/lxj-launcher")),
                "modes survive the tarball");
        Result version = run(home, Map.of(), "--version");
        assertTrue(version.out.endsWith("(profile itvendor)\n"), version.toString());
        Result check = run(home, Map.of(), "lxc-checkconfig");
        assertEquals(0, check.status, check.toString());
        assertTrue(check.out.contains("--- Namespaces ---"), check.toString());
        Result backends = run(home, Map.of(), "lxj:backends");
        List<String> storage = backends.out.lines().filter(l -> l.startsWith("storage ")).toList();
        assertEquals(1, storage.size(), backends.toString());
        assertTrue(storage.get(0).contains(TMPFS_BSN), backends.toString());
    }

    /** The example backend's jar, built by its own pom (outside the reactor) when it is missing. */
    private Path exampleJar() throws Exception {
        if (!Files.isRegularFile(EXAMPLE_JAR)) {
            assumeTrue(which("mvn").isPresent(), "needs mvn on the PATH to build " + EXAMPLE);
            Result build = exec(List.of("mvn", "-o", "-q", "-B", "-Dstyle.color=never", "-f",
                    EXAMPLE.resolve("pom.xml").toString(), "package"), Map.of(), null);
            assertEquals(0, build.status, build.toString());
        }
        return EXAMPLE_JAR;
    }

    private static Optional<Path> which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** {@code FSTYPE MOUNTPOINT} of every mount below {@code dir}. */
    private static List<String> mountsBelow(Path dir) throws IOException {
        List<String> found = new ArrayList<>();
        String base = dir + "/";
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if ((f[4] + "/").startsWith(base)) {
                found.add(f[dash + 1] + " " + f[4]);
            }
        }
        return found;
    }

    private void unmountBelow(Path dir) {
        quietly(() -> {
            for (String m : mountsBelow(dir)) {
                exec(List.of("umount", "-l", m.substring(m.indexOf(' ') + 1)), Map.of(), null);
            }
            return null;
        });
    }

    private void stopDaemon(Path dist, Map<String, String> env) {
        quietly(() -> {
            if (Files.exists(Path.of(env.get("LXJ_CONTROL_SOCKET")))) {
                run(dist, env, "shutdown");
            }
            Path pidFile = Path.of(env.get("LXJ_PID_FILE"));
            if (Files.exists(pidFile)) {
                Optional<ProcessHandle> left = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                        .filter(ProcessHandle::isAlive);
                if (left.isPresent()) {
                    left.get().destroyForcibly();
                    left.get().onExit().get(30, TimeUnit.SECONDS);
                }
            }
            return null;
        });
    }

    private static void removeRunFiles(Path lxcpath) {
        quietly(() -> {
            ContainerCli.removeRunFiles(lxcpath);
            return null;
        });
    }

    private interface Step {
        Object run() throws Exception;
    }

    /** A cleanup step: its failure must not hide the test's own, nor stop the other steps. */
    private static void quietly(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            System.out.println("cleanup: " + e);
        }
    }

    private Result run(Path home, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(home.resolve("bin/lxj").toString());
        cmd.addAll(List.of(args));
        Map<String, String> all = new HashMap<>(env);
        if (!env.containsKey("LXJ_CONTROL_SOCKET")) {
            all.put("LXJ_NO_DAEMON", "1");
        }
        return exec(cmd, all, null);
    }

    private Result exec(List<String> cmd, Map<String, String> env, File cwd) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("LXJ_NO_DAEMON");
        pb.environment().remove("LXJ_CONTROL_SOCKET");
        pb.environment().putAll(env);
        if (cwd != null) {
            pb.directory(cwd);
        }
        Process proc = pb.start();
        if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        Result r = new Result(String.join(" ", cmd), proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        System.out.println(r.command + ": exit " + r.status);
        return r;
    }

    private record Result(String command, int status, String out, String err) {
        @Override
        public String toString() {
            return command + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
