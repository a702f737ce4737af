package org.lxj.template.local.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.template.TemplateRequest;

/** The local template with tarballs built by the test (needs the host's tar, no root). */
class LocalTemplateTest {

    private static final String NAME = "l1";

    @TempDir
    Path tmp;

    private Path image;
    private Path meta;
    private Path fs;
    private Path containerDir;
    private Path rootfs;
    private Path config;
    private Path uidMap;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() throws IOException, InterruptedException {
        assumeTrue(run("tar", "--version") == 0, "the host has no tar");
        image = Files.createDirectories(tmp.resolve("image"));
        meta = Files.createDirectories(tmp.resolve("meta"));
        fs = Files.createDirectories(tmp.resolve("fs"));
        Files.createDirectories(fs.resolve("etc"));
        Files.createDirectories(fs.resolve("bin"));
        containerDir = Files.createDirectories(tmp.resolve("lxcpath/" + NAME));
        rootfs = Files.createDirectories(containerDir.resolve("rootfs"));
        config = containerDir.resolve("config");
        Files.writeString(config, "lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\nlxc.net.0.flags = up\n"
                + "lxc.apparmor.profile = generated\nlxc.rootfs.path = dir:" + rootfs + "\n");
        uidMap = Files.writeString(tmp.resolve("uid_map"), "         0          0 4294967295\n");
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor();
    }

    private Path pack(Path dir, String file) throws IOException, InterruptedException {
        Path tarball = image.resolve(file);
        String z = file.endsWith(".xz") ? "-J" : file.endsWith(".gz") ? "-z" : "--no-auto-compress";
        assertEquals(0, run("tar", "-C", dir.toString(), z, "-cf", tarball.toString(), "."));
        return tarball;
    }

    private LocalTemplate template() {
        return new LocalTemplate(new LocalTemplate.Environment("tar", uidMap, "/usr/share/lxc/config",
                "/usr/share/lxc/hooks", new PrintStream(out, true, StandardCharsets.UTF_8), Optional.empty()));
    }

    private TemplateRequest request(String... args) {
        return new TemplateRequest(NAME, tmp.resolve("lxcpath"), rootfs, config, List.of(args));
    }

    /** The image lxc-local was run on by hand (Debian lxc 5.0.2), whose result the first test compares with. */
    private void referenceImage() throws IOException {
        Files.writeString(meta.resolve("config"),
                "lxc.include = LXC_TEMPLATE_CONFIG/common.conf\nlxc.arch = x86_64\n# a comment LXC_NAME\n");
        Files.writeString(meta.resolve("templates"), "/etc/hostname\n/etc/missing\n");
        Files.writeString(meta.resolve("create-message"), "hello LXC_NAME\n");
        Files.writeString(meta.resolve("fstab"), "proc proc proc defaults 0 0\n");
        Files.writeString(fs.resolve("etc/hostname"), "LXC_NAME\n");
    }

    @Test
    void describesItself() {
        assertEquals("local", template().type());
    }

    @Test
    void installsLikeLxcLocal() throws Exception {
        referenceImage();
        template().install(request("-m", pack(meta, "meta.tar.xz").toString(), "-f",
                pack(fs, "rootfs.tar.xz").toString()));
        // what lxc-local wrote below liblxc's header for the same image and config
        String expected = "\n"
                + "# Distribution configuration\n"
                + "lxc.include = /usr/share/lxc/config/common.conf\n"
                + "lxc.arch = x86_64\n"
                + "# a comment l1\n"
                + "\n"
                + "# Container specific configuration\n"
                + "lxc.apparmor.profile = generated\n"
                + "lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.mount.fstab = " + containerDir.resolve("fstab") + "\n"
                + "lxc.uts.name = l1\n"
                + "\n"
                + "# Network configuration\n"
                + "lxc.net.0.type = veth\n"
                + "lxc.net.0.link = lxcbr0\n"
                + "lxc.net.0.flags = up\n";
        assertEquals(expected, Files.readString(config));
        assertEquals("proc proc proc defaults 0 0\n", Files.readString(containerDir.resolve("fstab")));
        assertEquals("l1\n", Files.readString(rootfs.resolve("etc/hostname")));
        assertTrue(Files.isDirectory(rootfs.resolve("dev/pts")));
        assertFalse(Files.exists(rootfs.resolve("etc/missing")));
        assertEquals("\n---\nhello LXC_NAME\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void emptyConfigStillGetsEveryHeaderAndGzipWorks() throws Exception {
        Files.writeString(config, "lxc.rootfs.path = dir:" + rootfs + "\n");
        Files.writeString(meta.resolve("config"), "lxc.arch = x86_64");
        template().install(request("--metadata=" + pack(meta, "meta.tar.gz"), "--fstree", pack(fs, "fs.tar.gz")
                .toString()));
        assertEquals("\n# Distribution configuration\nlxc.arch = x86_64\n# Container specific configuration\n"
                + "lxc.rootfs.path = dir:" + rootfs + "\nlxc.uts.name = l1\n\n# Network configuration\n",
                Files.readString(config));
        assertFalse(Files.exists(containerDir.resolve("fstab")));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void placeholdersInEveryListedFileAndModesKept() throws Exception {
        Files.writeString(meta.resolve("config"), "lxc.hook.start = LXC_HOOK_DIR/x LXC_PATH LXC_ROOTFS\n");
        Files.writeString(meta.resolve("templates"), "/etc/hosts\n\n  etc/relative  \n/bin/tool\n");
        Files.writeString(fs.resolve("etc/hosts"), "127.0.1.1 LXC_NAME\n");
        Files.writeString(fs.resolve("etc/relative"), "LXC_ROOTFS");
        Path tool = Files.write(fs.resolve("bin/tool"), new byte[] {(byte) 0xff, 'L', 'X', 'C', '_', 'N', 'A', 'M',
                'E', 0});
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-x---"));
        template().install(request("-m" + pack(meta, "m.tar"), "-f" + pack(fs, "f.tar")));
        assertTrue(Files.readString(config).contains("lxc.hook.start = /usr/share/lxc/hooks/x " + containerDir
                + " " + rootfs + "\n"));
        assertEquals("127.0.1.1 l1\n", Files.readString(rootfs.resolve("etc/hosts")));
        assertEquals(rootfs.toString(), Files.readString(rootfs.resolve("etc/relative")));
        assertEquals(-1, Files.mismatch(rootfs.resolve("bin/tool"),
                Files.write(tmp.resolve("expected"), new byte[] {(byte) 0xff, 'l', '1', 0})));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(rootfs.resolve("bin/tool"))));
    }

    @Test
    void templateEntriesThroughSymlinksAreNotEdited() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside"), "LXC_NAME\n");
        Files.createSymbolicLink(fs.resolve("etc/link"), outside);
        Files.createSymbolicLink(fs.resolve("host"), tmp);
        Files.writeString(meta.resolve("config"), "lxc.arch = x86_64\n");
        Files.writeString(meta.resolve("templates"), "/etc/link\n/host/outside\n/../outside\n");
        template().install(request("-m", pack(meta, "m.tar").toString(), "-f", pack(fs, "f.tar").toString()));
        assertEquals("LXC_NAME\n", Files.readString(outside));
    }

    @Test
    void userModeVariantsAndCompatLevelWin() throws Exception {
        Files.writeString(uidMap, "0 100000 65536\n");
        Files.writeString(meta.resolve("config"), "lxc.arch = wrong\n");
        Files.writeString(meta.resolve("config-user"), "lxc.arch = user\n");
        Files.writeString(meta.resolve("config-user.5"), "lxc.arch = user5\n");
        Files.writeString(meta.resolve("excludes-user"), "./dev/*\n./etc/secret\n");
        Files.createDirectories(fs.resolve("dev"));
        Files.writeString(fs.resolve("dev/node"), "x");
        Files.writeString(fs.resolve("etc/secret"), "x");
        Files.writeString(fs.resolve("etc/kept"), "x");
        LocalTemplate t = template();
        assertEquals("user", t.mode());
        t.install(request("-m", pack(meta, "m.tar.xz").toString(), "-f", pack(fs, "f.tar.xz").toString()));
        assertTrue(Files.readString(config).contains("# Distribution configuration\nlxc.arch = user5\n"));
        assertFalse(Files.exists(rootfs.resolve("etc/secret")));
        assertFalse(Files.exists(rootfs.resolve("dev/node")));
        assertTrue(Files.exists(rootfs.resolve("etc/kept")));
    }

    @Test
    void systemModeIgnoresUserVariants() throws Exception {
        Files.writeString(meta.resolve("config"), "lxc.arch = system\n");
        Files.writeString(meta.resolve("config-user"), "lxc.arch = user\n");
        assertEquals("system", template().mode());
        template().install(request("-m", pack(meta, "m.tar").toString(), "-f", pack(fs, "f.tar").toString()));
        assertTrue(Files.readString(config).contains("lxc.arch = system\n"));
    }

    @Test
    void refusesBadArguments() throws Exception {
        Path m = pack(meta, "m.tar");
        assertError("The local template needs a metadata tarball (-m). " + LocalArguments.USAGE);
        assertError("The local template needs a rootfs tarball (-f). " + LocalArguments.USAGE, "-m", m.toString());
        assertError("Template option \"-f\" needs a file. " + LocalArguments.USAGE, "-m", m.toString(), "-f");
        assertError("Unknown local template option \"--no-dev\". " + LocalArguments.USAGE, "--no-dev");
        assertError("Unexpected local template argument \"x\". " + LocalArguments.USAGE, "x");
        assertError("Template option \"--rootfs\" is set by lxc-create and cannot be given to the local template",
                "--rootfs=/x");
        Path none = tmp.resolve("none.tar.xz");
        assertError("Rootfs tarball \"" + none + "\" does not exist", "-m", m.toString(), "-f", none.toString());
        assertError("Metadata tarball \"" + image + "\" is not a regular file", "-m", image.toString(), "-f",
                m.toString());
        assertUntouched();
    }

    @Test
    void reportsBadTarballs() throws Exception {
        Path garbage = Files.writeString(image.resolve("garbage.tar.xz"), "not a tarball at all");
        Path fstree = pack(fs, "f.tar");
        BackendException e = assertError(null, "-m", garbage.toString(), "-f", fstree.toString());
        assertTrue(e.getMessage().startsWith("Failed to unpack metadata tarball \"" + garbage
                + "\": tar exited with status 2: "), e.getMessage());
        Path noConfig = pack(meta, "noconfig.tar");
        assertError("Metadata tarball \"" + noConfig + "\" has no \"config\" file", "-m", noConfig.toString(), "-f",
                fstree.toString());
        Files.createSymbolicLink(meta.resolve("config"), Path.of("/etc/passwd"));
        Path linked = pack(meta, "linked.tar");
        assertError("Metadata tarball \"" + linked + "\": \"config\" is not a regular file", "-m", linked.toString(),
                "-f", fstree.toString());
        Files.delete(meta.resolve("config"));
        Files.writeString(meta.resolve("config"), "lxc.arch = x86_64\n");
        Path good = pack(meta, "good.tar");
        e = assertError(null, "-m", good.toString(), "-f", garbage.toString());
        assertTrue(e.getMessage().startsWith("Failed to unpack rootfs tarball \"" + garbage
                + "\": tar exited with status 2: "), e.getMessage());
    }

    private BackendException assertError(String message, String... args) {
        List<Path> before = tempDirs();
        BackendException e = assertThrows(BackendException.class, () -> template().install(request(args)));
        if (message != null) {
            assertEquals(message, e.getMessage());
        }
        assertEquals(before, tempDirs(), "the metadata's temporary directory is removed");
        return e;
    }

    private static List<Path> tempDirs() {
        try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return new ArrayList<>(s.filter(p -> p.getFileName().toString().startsWith("lxj-local-")).sorted().toList());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void assertUntouched() throws IOException {
        try (Stream<Path> s = Files.list(rootfs)) {
            assertEquals(0, s.count());
        }
        assertTrue(Files.readString(config).startsWith("lxc.net.0.type = veth\n"));
    }
}
