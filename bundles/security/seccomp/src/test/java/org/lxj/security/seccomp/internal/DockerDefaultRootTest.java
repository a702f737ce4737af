package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.security.caps.internal.CapsContributor;
import org.lxj.security.seccomp.internal.SecurityProbeFixture.Result;
import org.lxj.spi.security.Capability;
import org.lxj.spi.seccomp.SeccompRequest;

/**
 * The built-in {@code docker-default} profile in real containers (root, real kernel, the real launcher, a busybox
 * rootfs): with Docker's default capabilities {@code unshare -n}, AF_ALG and AF_VSOCK sockets fail with EPERM
 * while ordinary tools work; with {@code CAP_SYS_ADMIN} kept, {@code mount} works as Docker's flattening allows.
 * A small static C probe, compiled with the host's {@code gcc} into the rootfs, makes the calls busybox has no
 * applet for. Each program the containers ran under is then run through the Java interpreter.
 */
class DockerDefaultRootTest {

    /** Docker's default capabilities, in {@code lxc.cap.keep} form. */
    static final String DOCKER_CAPS = "chown dac_override fowner fsetid kill setgid setuid setpcap net_bind_service "
            + "net_raw sys_chroot mknod audit_write setfcap";
    static final String PROBE = """
            #define _GNU_SOURCE
            #include <errno.h>
            #include <sched.h>
            #include <stdio.h>
            #include <string.h>
            #include <sys/socket.h>
            #include <unistd.h>

            /* Prints name=errno (0 on success) for each call named on the command line. */
            int main(int argc, char **argv) {
                for (int i = 1; i < argc; i++) {
                    int r;
                    errno = 0;
                    if (!strcmp(argv[i], "alg")) r = socket(38, SOCK_SEQPACKET, 0);
                    else if (!strcmp(argv[i], "vsock")) r = socket(40, SOCK_STREAM, 0);
                    else if (!strcmp(argv[i], "inet")) r = socket(AF_INET, SOCK_DGRAM, 0);
                    else if (!strcmp(argv[i], "unix")) r = socket(AF_UNIX, SOCK_STREAM, 0);
                    else if (!strcmp(argv[i], "userns")) r = unshare(CLONE_NEWUSER);
                    else { fprintf(stderr, "unknown call %s\\n", argv[i]); return 2; }
                    printf("%s=%d\\n", argv[i], r < 0 ? errno : 0);
                    if (r > 0) close(r);
                }
                return 0;
            }
            """;

    static SecurityProbeFixture fixture;
    static boolean probe;

    SecurityProbeFixture.Containers containers;
    LibseccompCompiler compiler;

    @BeforeAll
    static void rootBusyboxAndLibseccomp() throws IOException, InterruptedException {
        fixture = SecurityProbeFixture.open(SecurityProbeFixture.assumeRootBusyboxX86(
                "the syscall numbers below are x86_64's"), "lxj-docker-default-root-");
        probe = compileProbe(fixture.rootfs.resolve("bin/probe"));
    }

    /** Compiles the probe statically into the rootfs; false (and the tests that need it skip) without gcc. */
    static boolean compileProbe(Path out) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/gcc"))) {
            return false;
        }
        Path src = Files.writeString(fixture.base.resolve("probe.c"), PROBE);
        Process p = new ProcessBuilder("/usr/bin/gcc", "-static", "-O2", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        if (p.exitValue() != 0) {
            System.err.println("gcc -static failed (libc6-dev missing?): " + log);
            return false;
        }
        return true;
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        compiler = new LibseccompCompiler(fixture.sys, fixture.lib);
        containers = fixture.containers("lxj-docker-default-test-", new CapsContributor(),
                new SeccompContributor(() -> 0, List.of(compiler)));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (containers != null) {
            containers.close();
        }
    }

    Result execute(String name, String keys, String script) throws IOException {
        return containers.execute(name, keys, script);
    }

    /** Whether this host lets a process without capabilities make a user namespace. */
    static boolean userNamespacesEnabled() throws IOException {
        Path max = Path.of("/proc/sys/user/max_user_namespaces");
        return Files.exists(max) && Long.parseLong(new String(Files.newInputStream(max).readAllBytes(),
                StandardCharsets.US_ASCII).trim()) > 0;
    }

    /** The effective mask the caps backend gives a root init for {@code lxc.cap.keep = names}. */
    static long keep(String names) {
        long m = 0;
        for (String n : names.split(" ")) {
            m |= Capability.find(n).orElseThrow().bit();
        }
        return m;
    }

    /**
     * The program the contributor loaded for a container with {@code caps}, in the Java interpreter. It comes from
     * the compiler's cache: the same program the container ran under, not a second compile.
     */
    BpfInterpreter loaded(long caps) {
        int before = compiler.compiles();
        BpfInterpreter bpf = new BpfInterpreter(compiler.compile(new SeccompRequest(
                SeccompContributor.builtin(SeccompContributor.DOCKER_DEFAULT).orElseThrow(),
                Optional.of(Path.of(SeccompContributor.DOCKER_DEFAULT)), Arches.withCompat("x86_64"), caps, false))
                .program().filter());
        assertEquals(before, compiler.compiles(), "the container ran under this very program");
        return bpf;
    }

    @Test
    void withDockersCapabilitiesUnshareFailsAndOrdinaryToolsWork() throws IOException {
        Result r = execute("plain", "lxc.cap.keep = " + DOCKER_CAPS + "\n"
                + "lxc.seccomp.profile = docker-default\n",
                "unshare -n true; echo unshare=$?; ls / >/dev/null; echo ls=$?; "
                + "cat /etc/passwd >/dev/null; echo cat=$?; "
                + "echo hello | sed s/hello/bye/; mkdir /tmp/d && touch /tmp/d/f && rm -r /tmp/d; echo files=$?; "
                + "ps >/dev/null; echo ps=$?; sh -c 'exit 3'; echo sh=$?; id -u; date >/dev/null; echo date=$?; "
                + "sleep 0 & wait $!; echo bg=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("unshare=1\nls=0\ncat=0\nbye\nfiles=0\nps=0\nsh=3\n0\ndate=0\nbg=0\n", r.out(), r.err());
        assertTrue(r.err().contains("Operation not permitted"), r.err());
        BpfInterpreter bpf = loaded(keep(DOCKER_CAPS));
        assertEquals(Action.errno(1), bpf.run(LibseccompCompilerTest.X86_64, DockerDefaultProfileTest.UNSHARE,
                DockerDefaultProfileTest.CLONE_NEWNET));
        assertEquals(Action.ALLOW, bpf.run(LibseccompCompilerTest.X86_64, DockerDefaultProfileTest.CLONE,
                DockerDefaultProfileTest.SIGCHLD));
    }

    @Test
    void algAndVsockSocketsFailWithEpermWhileInetAndUnixWork() throws IOException {
        assumeTrue(probe, "needs gcc and a static libc (Debian gcc, libc6-dev) to build the socket probe");
        String caps = "lxc.cap.keep = " + DOCKER_CAPS + "\n";
        Result open = execute("open", caps, "/bin/probe alg vsock inet unix userns");
        Result r = execute("alg", caps + "lxc.seccomp.profile = docker-default\n",
                "/bin/probe alg vsock inet unix userns");
        assertEquals(0, open.status(), open.err());
        assertEquals(0, r.status(), r.err());
        Map<String, String> without = LxcDefaultsRootTest.lines(open.out());
        Map<String, String> with = LxcDefaultsRootTest.lines(r.out());
        assertEquals(Map.of("alg", "1", "vsock", "1", "inet", "0", "unix", "0", "userns", "1"), with,
                "AF_ALG, AF_VSOCK and a user namespace: EPERM; stderr: " + r.err());
        assertNotEquals("1", without.get("alg"), "without the profile AF_ALG is not refused with EPERM: " + open.out());
        assertNotEquals("1", without.get("vsock"), "nor AF_VSOCK: " + open.out());
        if (userNamespacesEnabled()) {
            assertEquals("0", without.get("userns"), "a user namespace needs no capability: so the EPERM above is "
                    + "the profile's: " + open.out());
        }
        BpfInterpreter bpf = loaded(keep(DOCKER_CAPS));
        assertEquals(Action.errno(1), bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.SOCKET, 38));
        assertEquals(Action.errno(1), bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.SOCKET, 40));
        assertEquals(Action.ALLOW, bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.SOCKET, 2));
        assertEquals(Action.ALLOW, bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.SOCKET, 1));
    }

    @Test
    void keepingCapSysAdminAllowsMountAndUnshare() throws IOException {
        String caps = DOCKER_CAPS + " sys_admin";
        Result r = execute("admin", "lxc.cap.keep = " + caps + "\n"
                + "lxc.seccomp.profile = docker-default\n",
                "mount -t tmpfs none /mnt; echo mount=$?; grep -c ' /mnt tmpfs ' /proc/self/mounts; umount /mnt; "
                + "echo umount=$?; unshare -n true; echo unshare=$?; ls / >/dev/null; echo ls=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("mount=0\n1\numount=0\nunshare=0\nls=0\n", r.out(), r.err());
        BpfInterpreter bpf = loaded(keep(caps));
        assertEquals(Action.ALLOW, bpf.run(LibseccompCompilerTest.X86_64, DockerDefaultProfileTest.MOUNT));
        assertEquals(Action.ALLOW, bpf.run(LibseccompCompilerTest.X86_64, DockerDefaultProfileTest.UNSHARE,
                DockerDefaultProfileTest.CLONE_NEWNET));
        assertEquals(Action.errno(1), bpf.run(LibseccompCompilerTest.X86_64, LibseccompCompilerTest.INIT_MODULE),
                "modules stay denied");
    }

    @Test
    void withoutCapSysAdminMountFails() throws IOException {
        Result r = execute("nomount", "lxc.cap.keep = " + DOCKER_CAPS + "\n"
                + "lxc.seccomp.profile = docker-default\n", "mount -t tmpfs none /mnt; echo mount=$?");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().matches("mount=(1|255)\n"), "busybox mount fails: " + r.out() + r.err());
        assertTrue(r.err().contains("permission denied"), "busybox's words for EPERM: " + r.err());
        assertEquals(Action.errno(1), loaded(keep(DOCKER_CAPS)).run(LibseccompCompilerTest.X86_64,
                DockerDefaultProfileTest.MOUNT));
    }
}
