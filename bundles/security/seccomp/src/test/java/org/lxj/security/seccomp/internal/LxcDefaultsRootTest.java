package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.security.caps.internal.CapsContributor;
import org.lxj.security.seccomp.internal.SecurityProbeFixture.Result;

/**
 * LXC's defaults and capability keys in real containers (root, real kernel, the real launcher): LXC's
 * common.seccomp denylist, an argument filter, {@code lxc.cap.drop}/{@code lxc.cap.keep} and
 * {@code lxc.no_new_privs}. The busybox rootfs gets the host's {@code /usr} bound read-only so that
 * {@code perl} can make the raw syscalls busybox has no applet for.
 */
class LxcDefaultsRootTest {

    /** x86_64 syscall numbers. */
    static final Map<String, Integer> NR = Map.of("init_module", 175, "delete_module", 176, "kexec_load", 246,
            "open_by_handle_at", 304, "finit_module", 313);
    /** Harmless arguments: each call fails on its arguments when the filter lets it through. */
    static final Map<String, String> ARGS = Map.of("init_module", "0, 0, 0", "delete_module", "0, 0",
            "kexec_load", "0, 0, 0, 0x12340000", "open_by_handle_at", "-1, 0, 0", "finit_module", "-1, 0, 0");
    static final Path COMMON = Path.of("/usr/share/lxc/config/common.seccomp");

    static SecurityProbeFixture fixture;

    SecurityProbeFixture.Containers containers;

    @BeforeAll
    static void rootBusyboxPerlAndLibseccomp() throws IOException {
        Path busybox = SecurityProbeFixture.assumeRootBusyboxX86("the syscall numbers below are x86_64's");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/perl")), "needs /usr/bin/perl (Debian perl-base)");
        assumeTrue(Files.isSymbolicLink(Path.of("/lib64")), "needs a merged-/usr host (/lib64 -> usr/lib64)");
        fixture = SecurityProbeFixture.open(busybox, "lxj-defaults-root-");
        Path rootfs = fixture.rootfs;
        Files.createDirectories(rootfs.resolve("usr"));
        Files.createSymbolicLink(rootfs.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(rootfs.resolve("lib64"), Path.of("usr/lib64"));
        Path suid = Files.copy(Path.of("/usr/bin/cat"), rootfs.resolve("bin/suidcat"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(suid, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setAttribute(suid, "unix:mode", 04755);
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        containers = fixture.containers("lxj-defaults-test-", new CapsContributor(), fixture.seccomp());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (containers != null) {
            containers.close();
        }
    }

    Result execute(String name, String keys, String script) throws IOException {
        return containers.execute(name, "lxc.mount.entry = /usr usr none ro,bind 0 0\n" + keys, script);
    }

    String policy(String name, String text) throws IOException {
        Path file = containers.write("policies", name, text);
        return "lxc.seccomp.profile = " + file + "\n";
    }

    /** The errno of each of LXC's denied syscalls, then of {@code umount -f}, one {@code name=errno} a line. */
    static String deniedCalls() {
        StringBuilder perl = new StringBuilder();
        for (String name : List.of("init_module", "finit_module", "delete_module", "kexec_load", "open_by_handle_at")) {
            perl.append("$!=0; syscall(").append(NR.get(name)).append(", ").append(ARGS.get(name))
                    .append("); print \"").append(name).append("=\", $!+0, \"\\n\"; ");
        }
        return "/usr/bin/perl -e '" + perl + "'; mount -t tmpfs none /mnt && umount -f /mnt; echo umount_f=$?; "
                + "umount /mnt 2>/dev/null; true";
    }

    static Map<String, String> lines(String out) {
        Map<String, String> m = new HashMap<>();
        out.lines().filter(l -> l.contains("=")).forEach(l -> m.put(l.substring(0, l.indexOf('=')),
                l.substring(l.indexOf('=') + 1)));
        return m;
    }

    @Test
    void lxcCommonSeccompDeniesModuleKexecAndHandleCallsAndForcedUmount() throws IOException {
        assumeTrue(Files.isRegularFile(COMMON), "needs LXC's " + COMMON + " (Debian lxc)");
        Result open = execute("open", policy("empty", "2\ndenylist\n"), deniedCalls());
        Result denied = execute("common", "lxc.seccomp.profile = " + COMMON + "\n", deniedCalls());
        assertEquals(0, denied.status(), denied.err());
        Map<String, String> without = lines(open.out());
        Map<String, String> with = lines(denied.out());
        for (String name : NR.keySet()) {
            assertEquals("1", with.get(name), name + " under common.seccomp: " + denied.out() + denied.err());
            if (!name.equals("kexec_load")) {
                assertNotEquals("1", without.get(name), name + " without a filter fails on its arguments, not EPERM: "
                        + open.out());
            }
        }
        assertEquals("1", with.get("umount_f"), denied.out());
        assertTrue(denied.err().contains("Permission denied"), "umount -f gets EACCES: " + denied.err());
        assertEquals("0", without.get("umount_f"), open.out() + open.err());
        // the Java interpreter, on the program the container ran under, agrees with the kernel's answers
        BpfInterpreter bpf = interpreter(Files.readString(COMMON));
        for (String name : NR.keySet()) {
            assertEquals(Action.errno(Integer.parseInt(with.get(name))), bpf.run(LibseccompCompilerTest.X86_64,
                    NR.get(name)), name);
        }
        assertEquals(Action.errno(13), bpf.run(LibseccompCompilerTest.X86_64, 166, 0, 1), "umount2 MNT_FORCE: EACCES");
        assertEquals(Action.KILL_PROCESS, bpf.run(LibseccompCompilerTest.X86_64, 175 | LibseccompCompilerTest.X32_BIT),
                "x32 meets the bad-arch action");
        assertEquals(Action.KILL_PROCESS, bpf.run(LibseccompCompilerTest.AARCH64, 105), "a foreign arch too");
    }

    /** The program the contributor loads for {@code policy} on this x86_64 host, in the Java interpreter. */
    static BpfInterpreter interpreter(String policy) {
        LibseccompCompiler c = new LibseccompCompiler(fixture.sys, fixture.lib);
        return new BpfInterpreter(c.compile(new org.lxj.spi.seccomp.SeccompRequest(policy, Optional.empty(),
                Arches.withCompat("x86_64"), -1L, false)).program().filter());
    }

    @Test
    void anArgumentFilterBlocksOnlyTheMatchingSocketFamily() throws IOException {
        String perl = "/usr/bin/perl -e 'for my $f (40, 1, 2) { $!=0; my $ok = socket(my $s, $f, 1, 0); "
                + "print \"af$f=\", ($ok ? 0 : $!+0), \"\\n\"; }'";
        Result r = execute("vsock", policy("vsock", "2\ndenylist\n[all]\nsocket errno 1 [0,40,SCMP_CMP_EQ]\n"),
                perl);
        assertEquals(0, r.status(), r.err());
        assertEquals("af40=1\naf1=0\naf2=0\n", r.out(), "AF_VSOCK EPERM, AF_UNIX and AF_INET work: " + r.err());
        BpfInterpreter bpf = interpreter("2\ndenylist\n[all]\nsocket errno 1 [0,40,SCMP_CMP_EQ]\n");
        assertEquals(Action.errno(1), bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.SOCKET, 40));
        assertEquals(Action.ALLOW, bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.SOCKET, 1));
        assertEquals(Action.ALLOW, bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.SOCKET, 2));
    }

    static long capField(String status, String field) {
        return status.lines().filter(l -> l.startsWith(field + ":")).map(l -> Long.parseUnsignedLong(
                l.substring(field.length() + 1).trim(), 16)).findFirst().orElseThrow(() -> new AssertionError(
                        field + " not in " + status));
    }

    @Test
    void capDropMknodClearsBit27AndInheritableAndAmbientAreEmpty() throws IOException {
        Result r = execute("drop", "lxc.cap.drop = mknod\n", "cat /proc/self/status");
        assertEquals(0, r.status(), r.err());
        long bnd = capField(r.out(), "CapBnd");
        assertEquals(0, bnd & (1L << 27), "CAP_MKNOD is bit 27: " + Long.toHexString(bnd));
        assertNotEquals(0, bnd & (1L << 21), "CAP_SYS_ADMIN stays: " + Long.toHexString(bnd));
        assertEquals(0, capField(r.out(), "CapInh"));
        assertEquals(0, capField(r.out(), "CapAmb"));
    }

    @Test
    void capKeepMknodLeavesOnlyBit27() throws IOException {
        Result r = execute("keep", "lxc.cap.keep = mknod\n", "cat /proc/self/status");
        assertEquals(0, r.status(), r.err());
        assertEquals(1L << 27, capField(r.out(), "CapBnd"));
        assertEquals(1L << 27, capField(r.out(), "CapEff"));
        assertEquals(0, capField(r.out(), "CapInh"));
        assertEquals(0, capField(r.out(), "CapAmb"));
    }

    @Test
    void noNewPrivsMakesASetuidBinaryGainNothing() throws IOException {
        String script = "/usr/bin/perl -e 'use POSIX; POSIX::setgid(1000) or die; POSIX::setuid(1000) or die; "
                + "exec \"/bin/suidcat\", \"/proc/self/status\" or die'";
        Result plain = execute("suid", "", script);
        assertEquals(0, plain.status(), plain.err());
        assertTrue(plain.out().lines().anyMatch(l -> l.matches("Uid:\\s+1000\\s+0\\s+0\\s+0")),
                "without no_new_privs the setuid bit gives euid 0: " + plain.out());
        Result nnp = execute("nnp", "lxc.no_new_privs = 1\n", script);
        assertEquals(0, nnp.status(), nnp.err());
        assertTrue(nnp.out().lines().anyMatch(l -> l.matches("Uid:\\s+1000\\s+1000\\s+1000\\s+1000")),
                "with no_new_privs the setuid bit gives nothing: " + nnp.out());
        assertTrue(nnp.out().lines().anyMatch(l -> l.matches("NoNewPrivs:\\s+1")), nnp.out());
    }
}
