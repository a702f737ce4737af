package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.AttachOptions;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.launcher.AttachPolicy;
import org.lxj.linux.Errno;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.SyscallException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.SeccompFilterFlag;
import org.lxj.spi.launch.SeccompNotifyProxy;
import org.lxj.spi.launch.SeccompProgram;

/**
 * lxc-attach confined like init: a real busybox container whose init runs under a seccomp denylist (LXC's
 * common.seccomp kernel-module calls, EPERM), {@code no_new_privs} and a Landlock ruleset that leaves {@code /srv}
 * unreadable; the attached command gets all three, {@code -e LSM} lifts seccomp and Landlock but not
 * {@code no_new_privs} (LXC's rule), and a container without a kept policy (an older runtime's) attaches as before.
 * A notifying filter's listener of the attached command reaches the monitor and the container's proxy.
 * The policy comes from a test contributor: core's tests have no seccomp or Landlock bundle.
 */
class AttachSecurityRootTest {
    private static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    private static final int NR_INIT_MODULE = 175;
    private static final int NR_DELETE_MODULE = 176;
    private static final int NR_MKDIR = 83;
    private static final int NR_MKDIRAT = 258;
    private static final int RET_KILL_PROCESS = 0x80000000;
    private static final int RET_ALLOW = 0x7fff0000;
    private static final int RET_EPERM = 0x00050000 | 1;
    private static final int RET_NOTIFY = 0x7fc00000;
    private static final int EROFS = 30;
    private static final String SECRET = "secret-of-helper-A\n";

    AttachFixture fixture;
    Path lxcpath;
    String name;

    @BeforeAll
    static void rootBusyboxAndCgroups() throws IOException, InterruptedException {
        assumeTrue("amd64".equals(System.getProperty("os.arch")), "the test filter is written for x86_64");
        CgroupRootTest.rootBusyboxAndCgroups();
        Files.createDirectories(CgroupRootTest.rootfs.resolve("srv"));
        Files.writeString(CgroupRootTest.rootfs.resolve("srv/secret"), SECRET);
        compileProbe();
    }

    @AfterAll
    static void removeBase() throws IOException {
        CgroupRootTest.removeBase();
    }

    @BeforeEach
    void setUp() throws IOException {
        fixture = new AttachFixture("lxj-attachsec-", "asa", true);
        lxcpath = fixture.lxcpath;
        name = fixture.name;
    }

    @AfterEach
    void tearDown() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A static probe in the rootfs: the module calls busybox cannot make, with the errno each gets. */
    private static void compileProbe() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "needs gcc to build the static syscall probe");
        Path src = CgroupRootTest.base.resolve("probe.c");
        Files.writeString(src, """
                #define _GNU_SOURCE
                #include <errno.h>
                #include <fcntl.h>
                #include <stdio.h>
                #include <string.h>
                #include <sys/syscall.h>
                #include <unistd.h>
                static void show(const char *what, long r)
                {
                	printf("%s=%s\\n", what, r < 0 ? strerrorname_np(errno) : "0");
                }
                int main(void)
                {
                	show("init_module", syscall(SYS_init_module, NULL, 0UL, ""));
                	show("delete_module", syscall(SYS_delete_module, "lxjt_no_such_module", O_NONBLOCK));
                	return 0;
                }
                """);
        Path out = CgroupRootTest.rootfs.resolve("bin/lxjt-probe");
        Process p = new ProcessBuilder("/usr/bin/gcc", "-static", "-O2", "-o", out.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(p.waitFor() == 0, "gcc -static failed (libc6-dev missing?): " + log);
    }

    /** One {@code struct sock_filter}. */
    private static void insn(ByteBuffer b, int code, int jt, int jf, int k) {
        b.putShort((short) code).put((byte) jt).put((byte) jf).putInt(k);
    }

    /** x86_64 only; init_module and delete_module get EPERM (LXC's common.seccomp), {@code notifyNr}s are notified. */
    private static byte[] filter(boolean notifyMkdir) {
        ByteBuffer b = ByteBuffer.allocate(8 * 12).order(ByteOrder.nativeOrder());
        insn(b, 0x20, 0, 0, 4);                           // 0: ld arch
        insn(b, 0x15, 1, 0, AUDIT_ARCH_X86_64);           // 1: x86_64 -> 3
        insn(b, 0x06, 0, 0, RET_KILL_PROCESS);            // 2: foreign arch
        insn(b, 0x20, 0, 0, 0);                           // 3: ld nr
        insn(b, 0x15, 5, 0, NR_INIT_MODULE);              // 4: -> 10
        insn(b, 0x15, 4, 0, NR_DELETE_MODULE);            // 5: -> 10
        insn(b, 0x15, notifyMkdir ? 4 : 0, 0, NR_MKDIR);  // 6: -> 11
        insn(b, 0x15, notifyMkdir ? 3 : 0, 0, NR_MKDIRAT); // 7: -> 11
        insn(b, 0x06, 0, 0, RET_ALLOW);                   // 8
        insn(b, 0x06, 0, 0, RET_ALLOW);                   // 9
        insn(b, 0x06, 0, 0, RET_EPERM);                   // 10
        insn(b, 0x06, 0, 0, RET_NOTIFY);                  // 11
        return b.array();
    }

    /** Init's confinement, as the seccomp, caps and Landlock bundles would contribute it. */
    private record Policy(Optional<Path> proxy) implements LaunchContributor {
        @Override
        public int order() {
            return ORDER_SECCOMP;
        }

        @Override
        public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
            long read = LandlockRuleset.ACCESS_FS_READ_FILE;
            List<LandlockRuleset.PathRule> rules = List.of("/bin", "/etc", "/proc", "/dev", "/sys", "/tmp", "/root")
                    .stream().map(p -> new LandlockRuleset.PathRule(Path.of(p), read)).toList();
            plan.noNewPrivileges(true)
                    .landlock(new LandlockRuleset(read, 0, 0, rules, List.of(), true))
                    .seccomp(new SeccompProgram(filter(proxy.isPresent()), proxy.isPresent()
                            ? EnumSet.of(SeccompFilterFlag.NEW_LISTENER) : EnumSet.noneOf(SeccompFilterFlag.class)));
            proxy.ifPresent(p -> plan.seccompNotifyProxy(new SeccompNotifyProxy(p.toString(), Optional.of("a-c00kie"))));
        }
    }

    private record Result(int status, String out, String err) {
    }

    private Result attach(Set<String> namespaces, Set<String> elevated, String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = fixture.runtime.attach(lxcpath, name, new AttachOptions(List.of("/bin/sh", "-c", script),
                namespaces, elevated, false, false, List.of(), List.of(), OptionalInt.empty(), OptionalInt.empty()),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Result attach(Set<String> elevated, String script) {
        return attach(Set.of(), elevated, script);
    }

    private static String field(String status, String key) {
        return status.lines().filter(l -> l.startsWith(key + ":")).map(l -> l.substring(key.length() + 1).trim())
                .findFirst().orElse("(no " + key + ")");
    }

    private Path runDir() {
        return fixture.runRoot.resolve(RunLayout.lxcpathId(lxcpath)).resolve(name);
    }

    private void start() {
        fixture.runtime.addContributor(new Policy(Optional.empty()));
        fixture.runtime.start(lxcpath, name, StartOptions.DEFAULT);
    }

    @Test
    void theAttachedCommandGetsInitsSeccompFilterAndNoNewPrivs() throws IOException {
        start();
        Path kept = runDir().resolve(AttachPolicy.FILE);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
        Result r = attach(Set.of(), "cat /proc/self/status; /bin/lxjt-probe");
        assertEquals(0, r.status(), r.err());
        assertEquals("2", field(r.out(), "Seccomp"), r.out());
        assertEquals("1", field(r.out(), "NoNewPrivs"), r.out());
        assertTrue(r.out().contains("init_module=EPERM\n"), r.out());
        assertTrue(r.out().contains("delete_module=EPERM\n"), r.out());
    }

    @Test
    void landlockDeniesThePathToTheAttachedCommandAndElevatedLsmLiftsItButNotNoNewPrivs() {
        start();
        Result confined = attach(Set.of(), "cat /srv/secret; echo cat=$?");
        assertTrue(confined.out().endsWith("cat=1\n"), confined.out() + confined.err());
        assertTrue(confined.err().contains("Permission denied"), confined.err());
        assertFalse(confined.out().contains(SECRET), confined.out());

        Result elevated = attach(Set.of("LSM"), "cat /srv/secret; cat /proc/self/status");
        assertEquals(0, elevated.status(), elevated.err());
        assertTrue(elevated.out().startsWith(SECRET), elevated.out());
        assertEquals("0", field(elevated.out(), "Seccomp"), elevated.out());
        assertEquals("1", field(elevated.out(), "NoNewPrivs"), "LXC keeps no_new_privs under -e LSM");

        Result all = attach(Set.of("CAP|LSM"), "cat /srv/secret >/dev/null && grep Seccomp: /proc/self/status");
        assertEquals(0, all.status(), all.err());
        assertEquals("0", field(all.out(), "Seccomp"), all.out());
    }

    @Test
    void withoutTheMountNamespaceSeccompAndLandlockAreLiftedAsInLxc() {
        start();
        // the host's /proc and grep: the command's own status is what matters
        Result r = attach(Set.of("PID|UTSNAME|IPC|NETWORK"), Set.of(), "grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status");
        assertEquals(0, r.status(), r.err());
        assertEquals("0", field(r.out(), "Seccomp"), r.out());
        assertEquals("1", field(r.out(), "NoNewPrivs"), r.out());
    }

    @Test
    void aContainerWithoutAKeptPolicyAttachesWithCapabilitiesAndCgroupsOnly() throws IOException {
        start();
        Files.delete(runDir().resolve(AttachPolicy.FILE));
        Result r = attach(Set.of(), "cat /srv/secret; cat /proc/self/status");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith(SECRET), r.out());
        assertEquals("0", field(r.out(), "Seccomp"), r.out());
        assertEquals("0", field(r.out(), "NoNewPrivs"), r.out());
    }

    @Test
    void theAttachedCommandsNotifiedSyscallReachesTheContainersProxy() throws Exception {
        Path socket = CgroupRootTest.base.resolve("proxy-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        Proxy proxy = new Proxy(socket);
        Result r;
        try (proxy) {
            fixture.runtime.addContributor(new Policy(Optional.of(socket)));
            fixture.runtime.start(lxcpath, name, StartOptions.DEFAULT);
            r = attach(Set.of(), "mkdir /tmp/attached; echo mkdir=$?; test -d /tmp/attached; echo exists=$?");
        } finally {
            Files.deleteIfExists(socket);
        }
        assertEquals(List.of(), proxy.failures);
        assertEquals(0, r.status(), r.err());
        assertEquals("mkdir=1\nexists=1\n", r.out(), r.err());
        assertTrue(r.err().contains("Read-only file system"), r.err());
        assertFalse(proxy.seen.isEmpty());
        assertTrue(proxy.seen.stream().allMatch(s -> s.nr() == NR_MKDIR || s.nr() == NR_MKDIRAT), proxy.seen.toString());
        assertTrue(proxy.seen.stream().allMatch(s -> s.cookie().equals("a-c00kie")), proxy.seen.toString());
    }

    private record Seen(int nr, String cookie) {
    }

    /** LXC's seccomp proxy on a SOCK_SEQPACKET socket, answering every notification with EROFS. */
    private static final class Proxy implements AutoCloseable {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final int listenFd;
        private final Thread thread;
        private volatile int conn = -1;

        Proxy(Path socket) {
            var sys = CgroupRootTest.sys;
            listenFd = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0);
            sys.bind(listenFd, socket.toString());
            sys.listen(listenFd, 4);
            thread = new Thread(this::serve, "lxjt-a-proxy");
            thread.start();
        }

        private void serve() {
            var sys = CgroupRootTest.sys;
            for (;;) {
                int conn;
                try {
                    conn = sys.accept(listenFd, SocketFlags.SOCK_CLOEXEC);
                    this.conn = conn;
                } catch (SyscallException e) {
                    if (!e.is(Errno.EINVAL)) { // EINVAL: close() shut the socket down
                        failures.add(e);
                    }
                    return;
                }
                try {
                    byte[] buf = new byte[4096];
                    for (;;) {
                        ReceivedMessage m = sys.recvmsg(conn, buf, 2, 0);
                        m.fds().forEach(sys::close);
                        if (m.length() == 0) {
                            break;
                        }
                        byte[] reply = answer(ByteBuffer.wrap(buf, 0, m.length()).order(ByteOrder.nativeOrder()));
                        sys.sendmsg(conn, reply, reply.length, new int[0], 0);
                    }
                } catch (RuntimeException e) {
                    failures.add(e);
                } finally {
                    sys.close(conn);
                }
            }
        }

        /** LXC's message: header, seccomp_notif, seccomp_notif_resp, cookie; the answer is the same with -EROFS. */
        private byte[] answer(ByteBuffer b) {
            int notifSize = Short.toUnsignedInt(b.getShort(16));
            int respSize = Short.toUnsignedInt(b.getShort(18));
            long cookieLen = b.getLong(24);
            int notif = 32;
            long id = b.getLong(notif);
            int resp = notif + notifSize;
            byte[] cookie = new byte[(int) cookieLen];
            b.get(resp + respSize, cookie);
            seen.add(new Seen(b.getInt(notif + 16), new String(cookie, StandardCharsets.UTF_8)));
            ByteBuffer r = ByteBuffer.allocate(resp + respSize).order(ByteOrder.nativeOrder());
            r.put(b.array(), 0, resp);
            r.putLong(resp, id);
            r.putLong(resp + 8, 0);
            r.putInt(resp + 16, -EROFS);
            r.putInt(resp + 20, 0);
            return r.array();
        }

        @Override
        public void close() throws InterruptedException {
            CgroupRootTest.sys.shutdown(listenFd, SocketFlags.SHUT_RDWR);
            int c = conn;
            if (c >= 0) {
                try {
                    CgroupRootTest.sys.shutdown(c, SocketFlags.SHUT_RDWR); // wakes a recvmsg on the monitor's connection
                } catch (SyscallException e) {
                    // already closed by the serving thread
                }
            }
            thread.join(TimeUnit.SECONDS.toMillis(30));
            CgroupRootTest.sys.close(listenFd);
        }
    }
}
