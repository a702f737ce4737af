package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.linux.Errno;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.security.seccomp.internal.SecurityProbeFixture.Result;

/**
 * {@code notify} rules in a real container (root, real kernel, the real launcher): the monitor forwards the
 * notification to a proxy written here, in LXC's {@code seccomp_notify_proxy_msg} format over
 * {@code SOCK_SEQPACKET}, and the errno the proxy answers is what the call in the container returns.
 */
class SeccompNotifyRootTest {

    /** x86_64 {@code mkdir} and {@code mkdirat}. */
    private static final Set<Integer> MKDIR_NRS = Set.of(83, 258);
    private static final int EROFS = 30;
    /** {@code SECCOMP_USER_NOTIF_FLAG_CONTINUE}: the kernel runs the call as if no filter had stopped it. */
    private static final int CONTINUE = 1;
    private static final String POLICY = "2\ndenylist\n[all]\nmkdir notify\nmkdirat notify\n";

    static SecurityProbeFixture fixture;
    static Syscalls sys;

    SecurityProbeFixture.Containers containers;

    @BeforeAll
    static void rootBusyboxAndLibseccomp() throws IOException {
        Path busybox = SecurityProbeFixture.assumeRootBusyboxX86("the syscall numbers below are x86_64's");
        SecurityProbeFixture.assumeUserNotif();
        fixture = SecurityProbeFixture.open(busybox, "lxj-w1-notify-");
        sys = fixture.sys;
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        containers = fixture.containers("lxj-w1-notify-", fixture.seccomp());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (containers != null) {
            containers.close();
        }
    }

    Result execute(String name, String extraConfig, String script) throws IOException {
        Path profile = containers.write(name, "policy.seccomp", POLICY);
        return containers.execute(name, "lxc.seccomp.profile = " + profile + "\n" + extraConfig, script);
    }

    /** What the proxy saw in one message. */
    record Seen(long reserved, int monitorPid, int initPid, int notifSize, int respSize, int nr, String cookie,
            int fds) {
    }

    /** A proxy on a SOCK_SEQPACKET socket that answers every notification with -errno and flags. */
    static final class Proxy implements AutoCloseable {
        final List<Seen> seen = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private final int listenFd;
        private final Thread thread;

        Proxy(Path socket, int errno, int flags) {
            listenFd = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0);
            sys.bind(listenFd, socket.toString());
            sys.listen(listenFd, 4);
            thread = new Thread(() -> serve(errno, flags), "lxj-w1-proxy");
            thread.start();
        }

        private void serve(int errno, int flags) {
            int conn;
            try {
                conn = sys.accept(listenFd, SocketFlags.SOCK_CLOEXEC);
            } catch (SyscallException e) {
                if (!e.is(Errno.EINVAL)) { // EINVAL: close() shut the socket down before the monitor connected
                    failures.add(e);
                }
                return;
            }
            try {
                try {
                    byte[] buf = new byte[4096];
                    for (;;) {
                        ReceivedMessage m = sys.recvmsg(conn, buf, 3, 0);
                        m.fds().forEach(sys::close);
                        if (m.length() == 0) {
                            return;
                        }
                        byte[] reply = answer(ByteBuffer.wrap(buf, 0, m.length()).order(ByteOrder.nativeOrder()),
                                m.fds().size(), errno, flags);
                        sys.sendmsg(conn, reply, reply.length, new int[0], 0);
                    }
                } finally {
                    sys.close(conn);
                }
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }

        /** Parses LXC's message and returns header, seccomp_notif and seccomp_notif_resp with the answer. */
        private byte[] answer(ByteBuffer b, int fds, int errno, int flags) {
            long reserved = b.getLong(0);
            int monitorPid = b.getInt(8);
            int initPid = b.getInt(12);
            int notifSize = Short.toUnsignedInt(b.getShort(16));
            int respSize = Short.toUnsignedInt(b.getShort(18));
            long cookieLen = b.getLong(24);
            int notif = 32;
            long id = b.getLong(notif);
            int nr = b.getInt(notif + 16);
            int resp = notif + notifSize;
            byte[] cookie = new byte[(int) cookieLen];
            b.get(resp + respSize, cookie);
            seen.add(new Seen(reserved, monitorPid, initPid, notifSize, respSize, nr,
                    new String(cookie, StandardCharsets.UTF_8), fds));
            ByteBuffer r = ByteBuffer.allocate(resp + respSize).order(ByteOrder.nativeOrder());
            r.put(b.array(), 0, resp);
            r.putLong(resp, id);
            r.putLong(resp + 8, 0);
            r.putInt(resp + 16, -errno);
            r.putInt(resp + 20, flags);
            return r.array();
        }

        @Override
        public void close() throws InterruptedException {
            sys.shutdown(listenFd, SocketFlags.SHUT_RDWR);
            thread.join();
            sys.close(listenFd);
        }
    }

    @Test
    void theProxysErrnoIsWhatTheContainerSeesAndItGetsTheCookieAndSyscall() throws Exception {
        Path socket = fixture.base.resolve("proxy-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        Result r;
        Proxy proxy = new Proxy(socket, EROFS, 0);
        try (proxy) {
            r = execute("w1-notify", "lxc.seccomp.notify.proxy = unix:" + socket + "\n"
                    + "lxc.seccomp.notify.cookie = w1-c00kie\n",
                    "mkdir /tmp/x; echo mkdir=$?; touch /tmp/y; echo touch=$?; test -d /tmp/x; echo exists=$?");
        } finally {
            Files.deleteIfExists(socket);
        }
        assertEquals(List.of(), proxy.failures);
        assertEquals(0, r.status(), r.err());
        assertEquals("mkdir=1\ntouch=0\nexists=1\n", r.out(), r.err());
        assertTrue(r.err().contains("Read-only file system"), r.err());
        assertEquals(1, proxy.seen.size(), proxy.seen.toString());
        Seen s = proxy.seen.get(0);
        assertTrue(MKDIR_NRS.contains(s.nr()), "syscall " + s.nr());
        assertEquals("w1-c00kie", s.cookie());
        assertEquals(0, s.reserved());
        assertEquals(3, s.fds(), "the /proc/<pid> directory, /proc/<pid>/mem and the listener, as LXC sends them");
        assertTrue(s.monitorPid() > 1 && s.initPid() > 1 && s.monitorPid() != s.initPid(), s.toString());
        assertTrue(s.notifSize() >= 80 && s.respSize() >= 24, s.toString());
    }

    @Test
    void aContinueAnswerLetsTheCallRun() throws Exception {
        Path socket = fixture.base.resolve("proxy-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        Result r;
        Proxy proxy = new Proxy(socket, 0, CONTINUE);
        try (proxy) {
            r = execute("w1-continue", "lxc.seccomp.notify.proxy = unix:" + socket + "\n",
                    "mkdir /tmp/x; echo mkdir=$?; test -d /tmp/x; echo exists=$?");
        } finally {
            Files.deleteIfExists(socket);
        }
        assertEquals(List.of(), proxy.failures);
        assertEquals("mkdir=0\nexists=0\n", r.out(), r.err());
        assertEquals(1, proxy.seen.size(), proxy.seen.toString());
        assertEquals("", proxy.seen.get(0).cookie());
    }

    @Test
    void withoutAProxyListeningTheCallFailsWithEnosysAsInLxc() throws IOException {
        Path socket = fixture.base.resolve("absent-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
        Result r = execute("w1-noproxy", "lxc.seccomp.notify.proxy = unix:" + socket + "\n",
                "mkdir /tmp/x; echo mkdir=$?; touch /tmp/y; echo touch=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("mkdir=1\ntouch=0\n", r.out(), r.err());
        assertTrue(r.err().contains("Function not implemented"), r.err());
    }
}
