package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerState;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.api.StopOptions;
import org.lxj.core.internal.run.RunLayout;
import org.lxj.linux.Errno;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * The monitor answers seccomp notifications concurrently (root, real kernel, the real launcher): a proxy that
 * holds one notification delays neither {@code lxc-stop} nor another process's notification, and a listener
 * handed over {@code monitor.sock} ({@code seccomp-listener}) has its notifications proxied like init's.
 */
class SeccompNotifyConcurrencyRootTest {

    /** x86_64 {@code mkdir}, {@code mkdirat} and {@code prctl}. */
    private static final int MKDIR = 83;
    private static final int MKDIRAT = 258;
    private static final int PRCTL = 157;
    private static final int EROFS = 30;
    private static final int EACCES = 13;
    /** The monitor's deadline for a proxy's answer (LXC's 30 s): everything here must finish well before it. */
    private static final Duration PROXY_DEADLINE = Duration.ofSeconds(30);
    /** How long a test waits for what must happen long before the deadline (a failure guard, not a timing). */
    private static final long GUARD_SECONDS = 20;
    /** An unused prctl option: the hand-made filter below notifies exactly prctl(MAGIC, ...). */
    private static final int MAGIC = 0x4c584a42;
    private static final String POLICY = "2\ndenylist\n[all]\nmkdir notify\nmkdirat notify\n";

    static SecurityProbeFixture fixture;
    static Syscalls sys;

    SecurityProbeFixture.Containers containers;
    final List<String> started = new CopyOnWriteArrayList<>();
    Proxy proxy;
    Path socket;

    @BeforeAll
    static void rootBusyboxAndLibseccomp() throws IOException {
        Path busybox = SecurityProbeFixture.assumeRootBusyboxX86("the syscall numbers below are x86_64's");
        SecurityProbeFixture.assumeUserNotif();
        fixture = SecurityProbeFixture.open(busybox, "lxj-b-notifyc-");
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
        containers = fixture.containers("lxj-b-notifyc-", fixture.seccomp());
        socket = fixture.base.resolve("proxy-" + UUID.randomUUID().toString().substring(0, 8) + ".sock");
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            for (String name : started) {
                try {
                    if (state(name) != ContainerState.STOPPED) {
                        containers.runtime.stop(containers.lxcpath, name,
                                new StopOptions(false, true, false, false, Duration.ofSeconds(GUARD_SECONDS)));
                    }
                } catch (RuntimeException e) {
                    System.err.println("teardown: stop " + name + ": " + e.getMessage());
                }
            }
            if (containers != null) {
                containers.close(); // the monitors are gone: so are their proxy connections
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            Files.deleteIfExists(socket);
        }
    }

    /** One notification as the proxy received it. */
    record Notification(long id, int pid, int nr, long[] args, String path, boolean jvmThread) {
    }

    /** A notification the proxy holds: the test answers it later, or never. */
    record Held(int conn, Notification n, byte[] message) {
    }

    /** The proxy's answer to one notification: an errno now, or hold it. */
    record Decision(boolean hold, int errno) {
        static final Decision HOLD = new Decision(true, 0);

        static Decision answer(int errno) {
            return new Decision(false, errno);
        }
    }

    /**
     * A proxy in LXC's message format that serves any number of connections at once (one thread each), parses each
     * notification (reading the path argument of mkdir/mkdirat through /proc/pid/mem, as real proxies do) and
     * answers it as {@code decide} says.
     */
    static final class Proxy implements AutoCloseable {
        final List<Notification> seen = new CopyOnWriteArrayList<>();
        final List<Held> held = new CopyOnWriteArrayList<>();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        final CountDownLatch firstHeld = new CountDownLatch(1);
        private final List<Integer> conns = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final Function<Notification, Decision> decide;
        private final int listenFd;
        private final Thread acceptor;

        Proxy(Path socket, Function<Notification, Decision> decide) {
            this.decide = decide;
            listenFd = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0);
            sys.bind(listenFd, socket.toString());
            sys.listen(listenFd, 16);
            acceptor = new Thread(this::accept, "lxj-b-proxy");
            acceptor.start();
        }

        private void accept() {
            for (;;) {
                int conn;
                try {
                    conn = sys.accept(listenFd, SocketFlags.SOCK_CLOEXEC);
                } catch (SyscallException e) {
                    if (!e.is(Errno.EINVAL)) { // EINVAL: close() shut the listening socket down
                        failures.add(e);
                    }
                    return;
                }
                conns.add(conn);
                Thread t = new Thread(() -> serve(conn), "lxj-b-proxy-conn");
                threads.add(t);
                t.start();
            }
        }

        private void serve(int conn) {
            try {
                byte[] buf = new byte[4096];
                for (;;) {
                    ReceivedMessage m = sys.recvmsg(conn, buf, 3, 0);
                    m.fds().forEach(sys::close);
                    if (m.length() == 0) {
                        return;
                    }
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, m.length()).order(ByteOrder.nativeOrder());
                    Notification n = parse(b);
                    seen.add(n);
                    byte[] message = java.util.Arrays.copyOf(buf, m.length());
                    Decision d = decide.apply(n);
                    if (d.hold()) {
                        held.add(new Held(conn, n, message));
                        firstHeld.countDown();
                    } else {
                        reply(conn, message, d.errno());
                    }
                }
            } catch (SyscallException e) {
                if (!e.is(Errno.ECONNRESET) && !e.is(Errno.EBADF)) {
                    failures.add(e);
                }
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }

        private static Notification parse(ByteBuffer b) throws IOException {
            int notif = 32;
            long id = b.getLong(notif);
            int pid = b.getInt(notif + 8);
            int nr = b.getInt(notif + 16);
            long[] args = new long[6];
            for (int i = 0; i < 6; i++) {
                args[i] = b.getLong(notif + 32 + 8 * i);
            }
            String path = nr == MKDIR ? readString(pid, args[0]) : nr == MKDIRAT ? readString(pid, args[1]) : "";
            return new Notification(id, pid, nr, args, path, Files.isDirectory(Path.of("/proc/self/task/" + pid)));
        }

        /** A NUL-terminated string from the caller's memory (the caller waits in the kernel meanwhile). */
        private static String readString(int pid, long address) throws IOException {
            try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
                mem.seek(address);
                byte[] s = new byte[256];
                int n = mem.read(s);
                int len = 0;
                while (len < n && s[len] != 0) {
                    len++;
                }
                return new String(s, 0, len, StandardCharsets.UTF_8);
            }
        }

        /** Answers a message on its connection: header and seccomp_notif echoed, the response with -errno. */
        static void reply(int conn, byte[] message, int errno) {
            ByteBuffer b = ByteBuffer.wrap(message).order(ByteOrder.nativeOrder());
            int notifSize = Short.toUnsignedInt(b.getShort(16));
            int respSize = Short.toUnsignedInt(b.getShort(18));
            int resp = 32 + notifSize;
            ByteBuffer r = ByteBuffer.allocate(resp + respSize).order(ByteOrder.nativeOrder());
            r.put(message, 0, resp);
            r.putLong(resp, b.getLong(32));
            r.putLong(resp + 8, 0);
            r.putInt(resp + 16, -errno);
            r.putInt(resp + 20, 0);
            sys.sendmsg(conn, r.array(), r.capacity(), new int[0], 0);
        }

        @Override
        public void close() throws InterruptedException {
            sys.shutdown(listenFd, SocketFlags.SHUT_RDWR);
            acceptor.join();
            for (int c : conns) {
                try {
                    sys.shutdown(c, SocketFlags.SHUT_RDWR);
                } catch (SyscallException e) {
                    // the monitor closed it first
                }
            }
            for (Thread t : threads) {
                t.join();
            }
            conns.forEach(sys::close);
            sys.close(listenFd);
        }
    }

    private String proxyKeys() {
        return "lxc.seccomp.notify.proxy = unix:" + socket + "\n";
    }

    /** Defines container {@code name} with the notify policy, the proxy and {@code extra}; returns its run dir. */
    private Path define(String name, String extra) throws IOException {
        Path profile = containers.write(name, "policy.seccomp", POLICY);
        containers.write(name, "config", "lxc.rootfs.path = dir:" + fixture.rootfs + "\n"
                + "lxc.uts.name = " + name + "\n"
                + "lxc.net.0.type = empty\n"
                + "lxc.mount.auto = proc:mixed sys:ro\n"
                + "lxc.seccomp.profile = " + profile + "\n" + extra);
        return new RunLayout(containers.runRoot).dir(containers.lxcpath, name);
    }

    private void start(String name) {
        started.add(name);
        containers.runtime.start(containers.lxcpath, name, StartOptions.DEFAULT);
    }

    private ContainerState state(String name) {
        return containers.runtime.find(containers.lxcpath, name).orElseThrow().state();
    }

    @Test
    void aProxyThatNeverAnswersDoesNotDelayTheStop() throws Exception {
        proxy = new Proxy(socket, n -> Decision.HOLD);
        define("b-hang", proxyKeys() + "lxc.init.cmd = /bin/mkdir /tmp/never\n");
        start("b-hang");
        assertTrue(proxy.firstHeld.await(GUARD_SECONDS, TimeUnit.SECONDS), "the proxy got init's mkdir");
        long heldAt = System.nanoTime();
        assertEquals(ContainerState.RUNNING, state("b-hang"));
        // lxc-stop -k: served by the monitor while the proxy still holds init's call
        containers.runtime.stop(containers.lxcpath, "b-hang",
                new StopOptions(false, true, false, false, Duration.ofSeconds(GUARD_SECONDS)));
        long stoppedAfter = System.nanoTime() - heldAt;
        assertEquals(ContainerState.STOPPED, state("b-hang"));
        assertTrue(stoppedAfter < PROXY_DEADLINE.toNanos(), "stopped before the proxy deadline, not by it");
        assertEquals(1, proxy.seen.size(), proxy.seen.toString());
        assertTrue(Set.of(MKDIR, MKDIRAT).contains(proxy.seen.get(0).nr()), proxy.seen.toString());
        assertEquals("/tmp/never", proxy.seen.get(0).path());
        assertEquals(List.of(), proxy.failures);
    }

    /** Counts down when the stream has received {@code marker}. */
    static final class Watch extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch seen = new CountDownLatch(1);
        private final String marker;

        Watch(String marker) {
            this.marker = marker;
        }

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            check();
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
            check();
        }

        private void check() {
            if (bytes.toString(StandardCharsets.UTF_8).contains(marker)) {
                seen.countDown();
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void aSecondNotificationIsAnsweredWhileTheFirstIsHeld() throws Exception {
        proxy = new Proxy(socket, n -> n.path().equals("/tmp/b") ? Decision.answer(EROFS) : Decision.HOLD);
        define("b-two", proxyKeys());
        Watch out = new Watch("b=1\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String script = "mkdir /tmp/a 2>/tmp/a.err & A=$!\n"
                + "mkdir /tmp/b 2>&1; echo b=$?\n"
                + "wait $A; echo a=$?; cat /tmp/a.err\n";
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> containers.runtime.execute(
                containers.lxcpath, "b-two", new ExecuteOptions(List.of("/bin/sh", "-c", script), Map.of(),
                        OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err)));
        try {
            assertTrue(out.seen.await(GUARD_SECONDS, TimeUnit.SECONDS),
                    "/tmp/b answered while /tmp/a is held: " + out.text() + err.toString(StandardCharsets.UTF_8));
            assertTrue(proxy.firstHeld.await(GUARD_SECONDS, TimeUnit.SECONDS), "the proxy holds /tmp/a");
            assertEquals(1, proxy.held.size(), proxy.held.toString());
            Held a = proxy.held.get(0);
            assertEquals("/tmp/a", a.n().path());
            assertFalse(out.text().contains("a="), out.text());
            Proxy.reply(a.conn(), a.message(), EACCES); // now /tmp/a gets the proxy's answer, not ENOSYS
            assertEquals(0, run.get(GUARD_SECONDS, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        } finally {
            if (!run.isDone()) {
                proxy.held.forEach(h -> sys.shutdown(h.conn(), SocketFlags.SHUT_RDWR));
                run.get(PROXY_DEADLINE.toSeconds() + GUARD_SECONDS, TimeUnit.SECONDS);
            }
        }
        String text = out.text();
        assertTrue(text.startsWith("mkdir: can't create directory '/tmp/b': Read-only file system\nb=1\na=1\n"),
                text);
        assertTrue(text.endsWith("mkdir: can't create directory '/tmp/a': Permission denied\n"), text);
        assertEquals(2, proxy.seen.size(), proxy.seen.toString());
        assertEquals(List.of(), proxy.failures);
    }

    @Test
    void aProxyThatClosesTheConnectionFailsTheHeldCallWithEnosys() throws Exception {
        proxy = new Proxy(socket, n -> Decision.HOLD);
        define("b-eof", proxyKeys());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> containers.runtime.execute(
                containers.lxcpath, "b-eof", new ExecuteOptions(List.of("/bin/sh", "-c",
                        "mkdir /tmp/c 2>&1; echo c=$?"), Map.of(), OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err)));
        try {
            assertTrue(proxy.firstHeld.await(GUARD_SECONDS, TimeUnit.SECONDS), "the proxy holds /tmp/c");
            sys.shutdown(proxy.held.get(0).conn(), SocketFlags.SHUT_RDWR); // the proxy gives up on it
            assertEquals(0, run.get(GUARD_SECONDS, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
        } finally {
            if (!run.isDone()) {
                run.get(PROXY_DEADLINE.toSeconds() + GUARD_SECONDS, TimeUnit.SECONDS);
            }
        }
        assertEquals("mkdir: can't create directory '/tmp/c': Function not implemented\nc=1\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(List.of(), proxy.failures);
    }

    /** libc's syscall(2), for the one call the linux bundle has no use for: loading a filter on one thread. */
    interface Libc extends Library {
        Libc INSTANCE = Native.load("c", Libc.class);

        long syscall(long number, Object... args);
    }

    /**
     * Loads on the calling thread only (no TSYNC) a filter that notifies prctl(MAGIC, ...) and allows everything
     * else, and returns its listener. As root, CAP_SYS_ADMIN stands in for no_new_privs.
     */
    static int loadNotifyingFilter() {
        int[][] insns = {
            { 0x20, 0, 0, 4 },                 // ld arch
            { 0x15, 0, 4, 0xc000003e },        // jeq AUDIT_ARCH_X86_64, else allow
            { 0x20, 0, 0, 0 },                 // ld nr
            { 0x15, 0, 2, PRCTL },             // jeq prctl, else allow
            { 0x20, 0, 0, 16 },                // ld args[0] (low half)
            { 0x15, 1, 0, MAGIC },             // jeq MAGIC: notify
            { 0x06, 0, 0, 0x7fff0000 },        // ret SECCOMP_RET_ALLOW
            { 0x06, 0, 0, 0x7fc00000 },        // ret SECCOMP_RET_USER_NOTIF
        };
        Memory filter = new Memory(8L * insns.length);
        for (int i = 0; i < insns.length; i++) {
            filter.setShort(8L * i, (short) insns[i][0]);
            filter.setByte(8L * i + 2, (byte) insns[i][1]);
            filter.setByte(8L * i + 3, (byte) insns[i][2]);
            filter.setInt(8L * i + 4, insns[i][3]);
        }
        Memory prog = new Memory(16);
        prog.clear();
        prog.setShort(0, (short) insns.length);
        prog.setPointer(8, filter);
        long listener = Libc.INSTANCE.syscall(317L /* seccomp */, 1L /* SET_MODE_FILTER */,
                8L /* NEW_LISTENER */, prog);
        if (listener < 0) {
            throw new IllegalStateException("seccomp(SET_MODE_FILTER, NEW_LISTENER) failed: errno "
                    + Native.getLastError());
        }
        return (int) listener;
    }

    /** Sends one request line (with fds) on a monitor.sock connection and returns the reply line. */
    static String request(int conn, String line, int... fds) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        sys.sendmsg(conn, bytes, bytes.length, fds, 0);
        StringBuilder reply = new StringBuilder();
        byte[] one = new byte[1];
        while (reply.indexOf("\n") < 0) {
            ReceivedMessage m = sys.recvmsg(conn, one, 0, 0);
            if (m.length() == 0) {
                break;
            }
            reply.append((char) one[0]);
        }
        return reply.toString();
    }

    static int connect(Path sock) {
        int fd = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC, 0);
        try {
            sys.connect(fd, sock.toString());
        } catch (RuntimeException e) {
            sys.close(fd);
            throw e;
        }
        return fd;
    }

    /** The monitor's open seccomp listeners, from its fd table. */
    static long listenersOf(int monitorPid) throws IOException {
        try (var fds = Files.list(Path.of("/proc/" + monitorPid + "/fd"))) {
            return fds.filter(p -> {
                try {
                    return Files.readSymbolicLink(p).toString().equals("anon_inode:seccomp notify");
                } catch (IOException e) {
                    return false; // closed meanwhile
                }
            }).count();
        }
    }

    static int parentOf(int pid) throws IOException {
        String stat = new String(Files.newInputStream(Path.of("/proc/" + pid + "/stat")).readAllBytes(),
                StandardCharsets.US_ASCII);
        return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    @Test
    void aListenerHandedOverMonitorSockHasItsNotificationsProxied() throws Exception {
        proxy = new Proxy(socket, n -> Decision.answer(EROFS));
        Path run = define("b-adopt", proxyKeys() + "lxc.init.cmd = /bin/sleep 1000\n");
        start("b-adopt");
        int conn = connect(run.resolve("monitor.sock"));
        try {
            String running = request(conn, "state\n");
            assertTrue(running.startsWith("RUNNING "), running);
            int monitor = parentOf(Integer.parseInt(running.substring(8).trim()));
            assertEquals(1, listenersOf(monitor), "init's listener");

            CompletableFuture<Integer> listener = new CompletableFuture<>();
            CountDownLatch go = new CountDownLatch(1);
            CompletableFuture<String> outcome = new CompletableFuture<>();
            Thread filtered = new Thread(() -> {
                try {
                    listener.complete(loadNotifyingFilter());
                    go.await();
                    sys.prctl(MAGIC, 0, 0, 0, 0);
                    outcome.complete("no error");
                } catch (SyscallException e) {
                    outcome.complete(e.errno().map(Enum::name).orElse("errno " + e.errnoNumber()));
                } catch (Throwable t) {
                    listener.completeExceptionally(t);
                    outcome.completeExceptionally(t);
                }
            }, "lxj-b-filtered");
            filtered.start();
            int fd = listener.get(GUARD_SECONDS, TimeUnit.SECONDS);
            try {
                assertEquals("OK\n", request(conn, "seccomp-listener\n", fd));
            } finally {
                sys.close(fd); // the monitor holds its own copy now
            }
            assertEquals(2, listenersOf(monitor), "init's and the adopted one");
            go.countDown();
            assertEquals("EROFS", outcome.get(GUARD_SECONDS, TimeUnit.SECONDS), "the proxy's answer");
            filtered.join();
            assertEquals(1, proxy.seen.size(), proxy.seen.toString());
            Notification n = proxy.seen.get(0);
            assertEquals(PRCTL, n.nr());
            assertEquals(MAGIC, (int) n.args()[0]);
            assertTrue(n.jvmThread(), "the caller is the filtered thread of this JVM: " + n);
            // the filter's only task is gone: its listener hangs up and the monitor drops it
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(GUARD_SECONDS);
            while (listenersOf(monitor) != 1 && System.nanoTime() < until) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // the kernel releases the thread's filter
            }
            assertEquals(1, listenersOf(monitor), "the adopted listener is dropped once its tasks exited");
            assertTrue(request(conn, "state\n").startsWith("RUNNING "));
        } finally {
            sys.close(conn);
        }
        assertEquals(List.of(), proxy.failures);
    }

    @Test
    void aWrongFdOrAMissingOneIsRefused() throws Exception {
        proxy = new Proxy(socket, n -> Decision.answer(EROFS));
        Path run = define("b-wrong", proxyKeys() + "lxc.init.cmd = /bin/sleep 1000\n");
        start("b-wrong");
        int conn = connect(run.resolve("monitor.sock"));
        int[] pair = sys.socketpair(SocketFlags.SOCK_STREAM);
        try {
            assertEquals("ERR EINVAL Not a seccomp listener\n", request(conn, "seccomp-listener\n", pair[0]));
            assertTrue(request(conn, "seccomp-listener\n").startsWith("ERR EINVAL "), "no fd");
            assertTrue(request(conn, "state\n", pair[1]).startsWith("ERR EINVAL "), "an fd with another request");
            // the connection still serves requests; two fds at once close it after the answer
            assertTrue(request(conn, "state\n").startsWith("RUNNING "));
            assertTrue(request(conn, "seccomp-listener\n", pair[0], pair[1]).startsWith("ERR EINVAL "));
            assertEquals(0, sys.recvmsg(conn, new byte[1], 0, 0).length(), "closed after two fds");
        } finally {
            sys.close(pair[0]);
            sys.close(pair[1]);
            sys.close(conn);
        }
        // a container without a notify proxy takes no listener
        containers.write("b-noproxy", "config", "lxc.rootfs.path = dir:" + fixture.rootfs + "\n"
                + "lxc.uts.name = b-noproxy\nlxc.net.0.type = empty\nlxc.init.cmd = /bin/sleep 1000\n");
        start("b-noproxy");
        int other = connect(new RunLayout(containers.runRoot).dir(containers.lxcpath, "b-noproxy")
                .resolve("monitor.sock"));
        int[] pair2 = sys.socketpair(SocketFlags.SOCK_STREAM);
        try {
            assertEquals("ERR EINVAL No seccomp notify proxy is configured\n",
                    request(other, "seccomp-listener\n", pair2[0]));
        } finally {
            sys.close(pair2[0]);
            sys.close(pair2[1]);
            sys.close(other);
        }
        assertEquals(List.of(), proxy.failures);
    }
}
