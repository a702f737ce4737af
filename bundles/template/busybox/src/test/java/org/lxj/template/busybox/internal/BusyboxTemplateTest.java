package org.lxj.template.busybox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Stat;
import org.lxj.linux.Syscalls;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.template.TemplateRequest;

/** The busybox template on temporary directories, with the host's busybox (no root needed). */
class BusyboxTemplateTest {

    private static final String NAME = "bb1";

    @TempDir
    Path tmp;

    private final Syscalls sys = new JnaSyscalls();
    private Path busybox;
    private Path hostRoot;
    private Path rootfs;
    private Path config;

    @BeforeEach
    void setUp() throws IOException {
        Optional<Path> found = BusyboxBinary.find(BusyboxTemplate.Environment.system().searchPath());
        assumeTrue(found.isPresent(), "the host has no busybox binary (install busybox-static)");
        busybox = found.get();
        assumeTrue(BusyboxBinary.inspect(busybox).isStatic(), "the host's busybox is not static");
        hostRoot = tmp.resolve("host");
        for (String d : BusyboxConfig.LIBRARY_DIRECTORIES) {
            Files.createDirectories(hostRoot.resolve(d));
        }
        Path dir = Files.createDirectories(tmp.resolve("lxcpath/" + NAME));
        rootfs = dir.resolve("rootfs");
        sys.mkdir(rootfs.toString(), 0755);
        sys.chmod(rootfs.toString(), 0755);
        config = dir.resolve("config");
        Files.writeString(config, "lxc.rootfs.path = dir:" + rootfs + "\n");
    }

    private BusyboxTemplate template(List<Path> searchPath) {
        return new BusyboxTemplate(sys, new BusyboxTemplate.Environment(searchPath, hostRoot, Optional.empty()));
    }

    private BusyboxTemplate template() {
        return template(List.of(busybox.getParent()));
    }

    private TemplateRequest request(String... args) {
        return new TemplateRequest(NAME, tmp.resolve("lxcpath"), rootfs, config, List.of(args));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = BusyboxTemplateTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("# Captured")).map(l -> l + "\n").reduce("", String::concat);
        }
    }

    private static String findMode(Path p) {
        Stat st = new JnaSyscalls().lstat(p.toString());
        char type = st.isDirectory() ? 'd' : st.isSymlink() ? 'l' : '-';
        int m = st.mode();
        String rwx = "rwxrwxrwx";
        StringBuilder b = new StringBuilder().append(type);
        for (int i = 0; i < 9; i++) {
            b.append((m & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        if ((m & 04000) != 0) {
            b.setCharAt(3, b.charAt(3) == 'x' ? 's' : 'S');
        }
        if ((m & 02000) != 0) {
            b.setCharAt(6, b.charAt(6) == 'x' ? 's' : 'S');
        }
        if ((m & 01000) != 0) {
            b.setCharAt(9, b.charAt(9) == 'x' ? 't' : 'T');
        }
        return b.toString();
    }

    @Test
    void describesItself() {
        assertEquals("busybox", template().type());
        assertTrue(template().detect(null).available());
        assertFalse(template(List.of(tmp)).detect(null).available());
    }

    /**
     * LXC leaves the udhcpc script's directory at mode 0644; without CAP_DAC_OVERRIDE the test cannot
     * look inside until it has checked that mode and opened the directory again.
     */
    private Path openUdhcpcDirectory() {
        Path dir = rootfs.resolve(BusyboxBinary.inspect(busybox).udhcpcScript().substring(1)).getParent();
        assertEquals("drw-r--r--", findMode(dir));
        sys.chmod(dir.toString(), 0755);
        return dir;
    }

    @Test
    void treeMatchesLxcTemplate() throws IOException {
        template().install(request());
        openUdhcpcDirectory();
        List<String> lines = new ArrayList<>();
        try (Stream<Path> s = Files.walk(rootfs)) {
            for (Path p : s.sorted().toList()) {
                String rel = rootfs.relativize(p).toString();
                String shown = rel.isEmpty() ? "." : "./" + rel;
                if (!Files.isSymbolicLink(p) && !rel.contains("udhcpc")) {
                    lines.add(findMode(p) + " " + shown);
                }
            }
        }
        List<String> expected = resource("lxc-busybox-tree.golden").lines().sorted().toList();
        assertEquals(expected, lines.stream().sorted().toList());
    }

    @Test
    void everyAppletLinksToBusybox() throws IOException {
        template().install(request());
        List<String> applets = BusyboxBinary.inspect(busybox).applets();
        assertTrue(applets.contains("sh"));
        Path bin = rootfs.resolve("bin/busybox");
        for (String applet : applets) {
            Path link = rootfs.resolve("bin").resolve(applet);
            assertTrue(Files.isSymbolicLink(link), applet);
            assertEquals("busybox", Files.readSymbolicLink(link).toString(), applet);
            assertTrue(Files.isSameFile(link, bin), applet);
        }
        try (Stream<Path> s = Files.list(rootfs.resolve("bin"))) {
            assertEquals(applets.size() + 1, s.count());
        }
        assertEquals(sys.stat(bin.toString()).ino(), sys.stat(rootfs.resolve("sbin/init").toString()).ino());
        assertEquals(-1L, Files.mismatch(busybox, bin));
    }

    @Test
    void initFilesAreSane() throws IOException {
        template().install(request());
        String inittab = Files.readString(rootfs.resolve("etc/inittab"));
        assertEquals(BusyboxRootfs.INITTAB, inittab);
        assertTrue(inittab.lines().allMatch(l -> l.split(":").length == 4), inittab);
        String rcs = Files.readString(rootfs.resolve("etc/init.d/rcS"));
        assertTrue(rcs.startsWith("#!/bin/sh\n"));
        for (String line : rcs.lines().skip(1).toList()) {
            Path cmd = rootfs.resolve(line.split(" ")[0].substring(1));
            assertTrue(Files.isSameFile(cmd, rootfs.resolve("bin/busybox")), line);
        }
        for (String ref : List.of("etc/init.d/rcS", "bin/getty", "bin/sh")) {
            assertTrue(Files.exists(rootfs.resolve(ref)), ref);
        }
        assertEquals("root:x:0:0:root:/root:/bin/sh\n", Files.readString(rootfs.resolve("etc/passwd")));
        assertEquals("root:x:0:root\n", Files.readString(rootfs.resolve("etc/group")));
        assertEquals(0, Files.size(rootfs.resolve("etc/shadow")));
        assertEquals(0, Files.size(rootfs.resolve("etc/fstab")));
    }

    @Test
    void udhcpcScriptWhereBusyboxLooksForIt() throws IOException, InterruptedException {
        template().install(request());
        Path script = openUdhcpcDirectory().resolve("default.script");
        assertEquals("-rwxr--r--", findMode(script));
        assertEquals(BusyboxRootfs.UDHCPC_SCRIPT, Files.readString(script));
        // parse only (-n): the script is never run on the host
        Process p = new ProcessBuilder(busybox.toString(), "sh", "-n", script.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    @Test
    void configMatchesLxcTemplate() throws IOException {
        template().install(request());
        String expected = "lxc.rootfs.path = dir:" + rootfs + "\n"
                + resource("lxc-busybox-config.golden").replace("@NAME@", NAME);
        assertEquals(expected, Files.readString(config));
    }

    @Test
    void configGetsRootfsPathWhenMissingAndBindsOnlyPresentLibraryDirectories() throws IOException {
        Files.writeString(config, "lxc.arch = x86_64");
        Files.delete(hostRoot.resolve("lib64"));
        Files.delete(hostRoot.resolve("usr/lib64"));
        template().install(request());
        List<String> lines = Files.readAllLines(config);
        assertEquals("lxc.arch = x86_64", lines.get(0));
        assertEquals("lxc.rootfs.path = " + rootfs, lines.get(1));
        List<String> binds = lines.stream().filter(l -> l.endsWith("none ro,bind 0 0")).toList();
        assertEquals(List.of("lxc.mount.entry = /lib lib none ro,bind 0 0",
                "lxc.mount.entry = /usr/lib usr/lib none ro,bind 0 0"), binds);
    }

    @Test
    void busyboxPathArgumentIsUsed() throws IOException {
        template(List.of(tmp)).install(request("--busybox-path=" + busybox));
        assertEquals(-1L, Files.mismatch(busybox, rootfs.resolve("bin/busybox")));
        Files.writeString(config, "");
        Path other = Files.createDirectories(tmp.resolve("other"));
        Path rootfs2 = Files.createDirectories(other.resolve("rootfs"));
        template(List.of(tmp)).install(new TemplateRequest("b2", tmp, rootfs2, config,
                List.of("--busybox-path", busybox.toString())));
        assertTrue(Files.isSymbolicLink(rootfs2.resolve("bin/sh")));
    }

    @Test
    void refusesWhenNoBusyboxIsFound() {
        BackendException e = assertThrows(BackendException.class, () -> template(List.of(tmp)).install(request()));
        assertTrue(e.getMessage().startsWith("Failed to find a busybox binary in [" + tmp + "]"), e.getMessage());
        Path missing = tmp.resolve("nope/busybox");
        e = assertThrows(BackendException.class, () -> template().install(request("--busybox-path=" + missing)));
        assertEquals("Failed to find busybox binary \"" + missing + "\"", e.getMessage());
        assertRootfsUntouched();
    }

    @Test
    void refusesNonExecutableAndNonElfFiles() throws IOException {
        Path script = tmp.resolve("busybox");
        Files.writeString(script, "#!/bin/sh\necho sh\n");
        BackendException e = assertThrows(BackendException.class,
                () -> template().install(request("--busybox-path=" + script)));
        assertEquals("Busybox binary \"" + script + "\" is not executable", e.getMessage());
        sys.chmod(script.toString(), 0755);
        e = assertThrows(BackendException.class, () -> template().install(request("--busybox-path=" + script)));
        assertEquals("Busybox binary \"" + script + "\" is not usable: it is not an ELF file", e.getMessage());
        assertRootfsUntouched();
    }

    @Test
    void refusesDynamicBusyboxWhoseLoaderIsNotBound() throws IOException {
        Path dynamic = Path.of("/bin/ls");
        Optional<String> loader = ElfFile.interpreter(dynamic);
        assumeTrue(loader.isPresent(), "/bin/ls is not dynamically linked here");
        for (String d : BusyboxConfig.LIBRARY_DIRECTORIES) {
            Files.delete(hostRoot.resolve(d));
        }
        BackendException e = assertThrows(BackendException.class,
                () -> template().install(request("--busybox-path=" + dynamic)));
        assertEquals("Busybox \"/bin/ls\" is dynamically linked and its loader \"" + loader.get()
                + "\" is outside the host library directories bound into the container; use a static busybox "
                + "(Debian: busybox-static) with --busybox-path", e.getMessage());
        assertRootfsUntouched();
    }

    @Test
    void refusesBadArguments() {
        assertArgumentError("Unknown busybox template option \"--user=me\". " + BusyboxArguments.USAGE, "--user=me");
        assertArgumentError("Unexpected busybox template argument \"extra\". " + BusyboxArguments.USAGE, "extra");
        assertArgumentError("Template option \"--busybox-path\" needs a path. " + BusyboxArguments.USAGE,
                "--busybox-path");
        assertArgumentError("Template option \"--busybox-path\" needs a path. " + BusyboxArguments.USAGE,
                "--busybox-path=");
        assertArgumentError("Template option \"--rootfs\" is set by lxc-create and cannot be given to the busybox "
                + "template", "--rootfs=/tmp/x");
        assertArgumentError(BusyboxArguments.USAGE, "-h");
        assertRootfsUntouched();
    }

    private void assertArgumentError(String message, String... args) {
        BackendException e = assertThrows(BackendException.class, () -> template().install(request(args)));
        assertEquals(message, e.getMessage());
    }

    @Test
    void refusesToWriteThroughASymlinkInTheRootfs() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(rootfs.resolve("etc"), outside);
        BackendException e = assertThrows(BackendException.class, () -> template().install(request()));
        assertEquals("Refusing to write in rootfs \"" + rootfs + "\": \"" + rootfs.resolve("etc")
                + "\" is a symlink", e.getMessage());
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count());
        }
    }

    private void assertRootfsUntouched() {
        try (Stream<Path> s = Files.list(rootfs)) {
            assertEquals(0, s.count());
            assertEquals("lxc.rootfs.path = dir:" + rootfs + "\n", Files.readString(config));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void existingFilesAreKeptAsLxcDoes() throws IOException {
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createSymbolicLink(rootfs.resolve("bin/sh"), Path.of("busybox"));
        template().install(request());
        assertTrue(Files.isSameFile(rootfs.resolve("bin/sh"), rootfs.resolve("bin/busybox")));
        assertTrue(Files.exists(rootfs.resolve("etc/passwd"), LinkOption.NOFOLLOW_LINKS));
    }
}
