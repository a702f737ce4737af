package org.lxj.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.lxj.launcher.LaunchFixture.INHERIT;
import static org.lxj.launcher.LaunchFixture.NAMESPACES;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.Rootfs;

/**
 * Root integration tests of {@code lxc-attach} with a pty: a pty this test allocates is the caller's terminal, a
 * busybox container with its own devpts instance is the target.
 */
class AttachPtyRootTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final List<String> ENV = List.of("PATH=/bin", "TERM=vt100");
    private static final String[] APPLETS = { "sh", "echo", "cat", "hostname", "sleep", "tty", "stty", "readlink",
        "sha256sum", "true" };

    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_NOCTTY = 0400;
    private static final int O_TRUNC = 01000;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final long TCGETS = 0x5401;
    private static final long TIOCSWINSZ = 0x5414;
    private static final long FIONREAD = 0x541B;
    private static final long TIOCSPTLCK = 0x40045431L;
    private static final long TIOCGPTPEER = 0x5441;

    /** The test's own libc calls: the caller's pty and files handed to the launcher as stdio. */
    interface PtyLibC extends Library {
        PtyLibC INSTANCE = Native.load("c", PtyLibC.class);

        int open(String path, int flags, int mode) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        long read(int fd, byte[] buf, long count) throws LastErrorException;

        int poll(byte[] fds, long nfds, int timeoutMillis) throws LastErrorException;

        int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

        int ioctl(int fd, long request, long arg) throws LastErrorException;
    }

    private static final PtyLibC C = PtyLibC.INSTANCE;

    private LaunchFixture fixture;
    private Path work;
    private Path rootfs;
    private NativeLauncher launcher;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    /** The caller's terminal: the test reads and writes the master, the launcher gets the slave. */
    private int master = -1;
    private int slave = -1;

    @BeforeEach
    void setUp() throws IOException {
        fixture = LaunchFixture.busybox("creates namespaces, mounts and a devpts instance", "lxj-attach-pty-it-",
                TIMEOUT, C::close, List.of("bin", "proc", "dev/pts", "tmp", "etc", "sys"), APPLETS);
        work = fixture.work;
        rootfs = fixture.rootfs;
        launcher = fixture.launcher;
        master = fixture.track(C.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0));
        C.ioctl(master, TIOCSPTLCK, new byte[4]);
        slave = fixture.track(C.ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        if (fixture != null) {
            fixture.close();
        }
    }

    /** A running container: its own devpts instance at /dev/pts, procfs, hostname lxj-it. */
    private PreparedLaunch container() throws Exception {
        LaunchPlan.Builder b = LaunchPlan.builder();
        NAMESPACES.forEach(b::cloneNamespace);
        LaunchPlan plan = b.rootfs(Rootfs.of(rootfs))
                .mount(MountStep.filesystem("proc", Path.of("/proc"),
                        EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), ""))
                .mount(MountStep.filesystem("devpts", Path.of("/dev/pts"), EnumSet.of(MountFlag.NOSUID, MountFlag.NOEXEC),
                        "newinstance,ptmxmode=0666,mode=0620"))
                .hostname("lxj-it")
                .console(INHERIT)
                .process(ProcessSpec.root(List.of("sleep", "1000"), ENV))
                .build();
        PreparedLaunch l = launcher.prepare(plan, work.resolve("run"), LaunchStdio.NULL, new LaunchOptions("it", false));
        fixture.launches.add(l);
        l.start();
        return l;
    }

    private AttachPlan plan(PreparedLaunch target, String... argv) throws IOException {
        return AttachPlan.of(target.initPid(), AttachPlan.startTimeOf(target.initPid()), List.of(argv), ENV);
    }

    private AttachedProcess attach(AttachPlan plan, LaunchStdio stdio) throws LaunchException {
        AttachedProcess a = launcher.attach(plan, stdio);
        fixture.attached.add(a);
        return a;
    }

    private void setWindow(int rows, int columns) {
        byte[] ws = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putShort((short) rows)
                .putShort((short) columns).putShort((short) 0).putShort((short) 0).array();
        C.ioctl(slave, TIOCSWINSZ, ws);
    }

    /** The kernel's struct termios of the caller's terminal (c_iflag .. c_cc, 36 bytes). */
    private byte[] termios() {
        byte[] t = new byte[64];
        C.ioctl(slave, TCGETS, t);
        return Arrays.copyOf(t, 36);
    }

    /** Reads the caller's master until the text read contains {@code end}, waiting at most {@link #TIMEOUT}. */
    private String readUntil(String... ends) {
        ByteArrayOutputStream sb = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String end = String.join("\", \"", ends);
        while (!Arrays.stream(ends).allMatch(sb.toString(StandardCharsets.ISO_8859_1)::contains)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("No \"" + end + "\" after " + TIMEOUT.toSeconds() + " s; read: " + sb);
            }
            if (C.poll(pollfd(master), 1, (int) left) == 0) {
                continue;
            }
            long n = C.read(master, buf, buf.length);
            if (n <= 0) {
                throw new AssertionError("EOF before \"" + end + "\"; read: " + sb);
            }
            sb.write(buf, 0, (int) n);
        }
        return sb.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] pollfd(int fd) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(fd).putShort((short) 1)
                .putShort((short) 0).array();
    }

    private int pendingInput(int fd) {
        byte[] n = new byte[4];
        C.ioctl(fd, FIONREAD, n);
        return ByteBuffer.wrap(n).order(ByteOrder.nativeOrder()).getInt();
    }

    @Test
    void commandGetsAContainerPtyWithTheCallersWindowSize() throws Exception {
        PreparedLaunch target = container();
        setWindow(37, 101);
        byte[] before = termios();
        AttachedProcess a = attach(plan(target, "sh", "-c", "tty; stty size; echo DONE")
                .withPty(AttachPty.forTerminals(true, true, true, Optional.empty())),
                new LaunchStdio(slave, slave, slave));
        String out = readUntil("DONE");
        assertEquals(0, a.waitFor(), out);
        assertTrue(Pattern.compile("(?m)^/dev/pts/\\d+\\r?$").matcher(out).find(), out);
        assertTrue(out.contains("37 101"), out);
        assertArrayEquals(before, termios(), "the caller's terminal settings are restored");
    }

    @Test
    void resizeReachesTheCommandsPty() throws Exception {
        PreparedLaunch target = container();
        setWindow(24, 80);
        AttachedProcess a = attach(plan(target, "sh", "-c", "echo READY; read x; stty size; echo DONE")
                .withPty(AttachPty.forTerminals(true, true, true, Optional.empty())),
                new LaunchStdio(slave, slave, slave));
        readUntil("READY");
        setWindow(50, 132);
        a.resize();
        a.resize(51, 133);
        ptyWrite("\r");
        String out = readUntil("DONE");
        assertEquals(0, a.waitFor(), out);
        assertTrue(out.contains("51 133"), out);
    }

    @Test
    void aResizeOfAnAttachWithoutAPtyIsIgnored() throws Exception {
        PreparedLaunch target = container();
        AttachedProcess a = attach(plan(target, "sh", "-c", "echo READY; read x; echo DONE-$x"),
                new LaunchStdio(slave, slave, slave));
        readUntil("READY");
        a.resize();
        ptyWrite("ok\n");
        String out = readUntil("DONE-ok");
        assertEquals(0, a.waitFor(), out);
    }

    private void ptyWrite(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        PtyWriter.INSTANCE.write(master, b, b.length);
    }

    interface PtyWriter extends Library {
        PtyWriter INSTANCE = Native.load("c", PtyWriter.class);

        long write(int fd, byte[] buf, long count) throws LastErrorException;
    }

    @Test
    void tenMegabytesArriveIntact() throws Exception {
        PreparedLaunch target = container();
        byte[] data = new byte[10 * 1024 * 1024];
        new Random(8).nextBytes(data);
        Files.write(rootfs.resolve("tmp/big"), data);
        Path sums = work.resolve("sums.txt");
        int sumsFd = fixture.track(C.open(sums.toString(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
        AttachedProcess sum = attach(plan(target, "sha256sum", "/tmp/big"), new LaunchStdio(-1, sumsFd, sumsFd));
        assertEquals(0, sum.waitFor(), Files.readString(sums));
        String inside = Files.readString(sums).split("\\s+")[0];

        byte[] before = termios();
        Future<byte[]> received = pool.submit(() -> readBytes(data.length));
        AttachedProcess a = attach(plan(target, "sh", "-c", "stty raw -echo; cat /tmp/big")
                .withPty(AttachPty.forTerminals(true, true, true, Optional.empty())),
                new LaunchStdio(slave, slave, slave));
        byte[] got = received.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, a.waitFor());
        assertEquals(inside, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(got)));
        assertArrayEquals(before, termios(), "the caller's terminal settings are restored");
    }

    private byte[] readBytes(int count) {
        byte[] all = new byte[count];
        int off = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (off < count) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("Only " + off + " of " + count + " bytes after " + TIMEOUT.toSeconds() + " s");
            }
            if (C.poll(pollfd(master), 1, (int) left) == 0) {
                continue;
            }
            byte[] buf = new byte[Math.min(65536, count - off)];
            long n = C.read(master, buf, buf.length);
            if (n <= 0) {
                throw new AssertionError("EOF after " + off + " bytes");
            }
            System.arraycopy(buf, 0, all, off, (int) n);
            off += (int) n;
        }
        return all;
    }

    @Test
    void tiocstiFromInsideReachesOnlyTheContainersPty() throws Exception {
        Path src = work.resolve("sti.c");
        Files.writeString(src, """
                #include <stdio.h>
                #include <string.h>
                #include <sys/ioctl.h>
                #include <unistd.h>
                int main(void) {
                    const char *s = "lxjsti\\n";
                    for (const char *c = s; *c; c++)
                        if (ioctl(0, TIOCSTI, c) < 0) { perror("TIOCSTI"); return 3; }
                    char buf[64];
                    ssize_t n = read(0, buf, sizeof(buf) - 1);
                    if (n < 0) return 4;
                    buf[n] = 0;
                    printf("read=%s", buf);
                    printf("tty=%s\\nEND\\n", ttyname(0));
                    return 0;
                }
                """);
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-static", "-O1", "-o", rootfs.resolve("bin/sti").toString(), src.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException noCompiler) {
            assumeTrue(false, "needs gcc with static glibc to build the TIOCSTI helper: " + noCompiler.getMessage());
            return;
        }
        String gccOut = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(gcc.waitFor() == 0, "gcc could not build a static TIOCSTI helper: " + gccOut);
        PreparedLaunch target = container();
        AttachedProcess a = attach(plan(target, "/bin/sti").withPty(AttachPty.forTerminals(true, true, true,
                Optional.empty())), new LaunchStdio(slave, slave, slave));
        String out = readUntil("END");
        assertEquals(0, a.waitFor(), out);
        assertTrue(out.contains("read=lxjsti"), "the injected line reaches the command's own pty: " + out);
        assertTrue(Pattern.compile("tty=/dev/pts/\\d+").matcher(out).find(), out);
        assertEquals(0, pendingInput(slave), "nothing is pending at the caller's terminal input");
    }

    /**
     * LXC's redirection matrix: with the caller's terminal on some fds and {@code /dev/null} or a file on the
     * others, each stream goes where LXC sends it. Bit 0: stdin is /dev/null; bit 1: stdout is a file; bit 2:
     * stderr is a file (7, no terminal at all, attaches without a pty).
     */
    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3, 4, 5, 6, 7 })
    void redirectionsGoWhereLxcSendsThem(int combo) throws Exception {
        PreparedLaunch target = container();
        boolean inNull = (combo & 1) != 0;
        boolean outFile = (combo & 2) != 0;
        boolean errFile = (combo & 4) != 0;
        Path outPath = work.resolve("out-" + combo);
        Path errPath = work.resolve("err-" + combo);
        int in = inNull ? -1 : slave;
        int out = outFile
                ? fixture.track(C.open(outPath.toString(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) : slave;
        int err = errFile
                ? fixture.track(C.open(errPath.toString(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) : slave;
        AttachPlan p = plan(target, "sh", "-c",
                "echo \"I:$(readlink /proc/self/fd/0)\"; echo \"O:$(hostname)\"; echo \"E:$(hostname)\" >&2");
        if (combo != 7) {
            p = p.withPty(AttachPty.forTerminals(!inNull, !outFile, !errFile, Optional.empty()));
        }
        byte[] before = termios();
        AttachedProcess a = attach(p, new LaunchStdio(in, out, err));
        String stdinLine = inNull ? "I:/dev/null" : "I:/dev/pts/";
        List<String> expected = new ArrayList<>();
        if (!errFile) {
            expected.add("E:lxj-it");
        }
        if (!outFile) {
            expected.add("O:lxj-it");
        }
        StringBuilder tty = new StringBuilder(expected.isEmpty() ? "" : readUntil(expected.toArray(String[]::new)));
        assertEquals(0, a.waitFor(), tty.toString());
        if (outFile) {
            String o = Files.readString(outPath);
            assertTrue(o.startsWith(stdinLine), o);
            assertTrue(o.endsWith("O:lxj-it\n"), "straight to the file, no pty (no CR): " + o);
            assertFalse(o.contains("E:"), o);
        } else {
            assertTrue(tty.toString().contains(stdinLine), tty.toString());
        }
        if (errFile) {
            assertEquals("E:lxj-it\n", Files.readString(errPath));
        }
        assertArrayEquals(before, termios(), "the caller's terminal settings are restored");
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 42 })
    void exitStatusPropagatesThroughAPty(int code) throws Exception {
        PreparedLaunch target = container();
        AttachedProcess a = attach(plan(target, "sh", "-c", "echo DONE; exit " + code)
                .withPty(AttachPty.forTerminals(true, true, true, Optional.empty())),
                new LaunchStdio(slave, slave, slave));
        readUntil("DONE");
        assertEquals(code, a.waitFor());
    }

    @Test
    void ptyLogGetsTheOutput() throws Exception {
        PreparedLaunch target = container();
        Path log = work.resolve("pty.log");
        AttachedProcess a = attach(plan(target, "sh", "-c", "echo logged-line")
                .withPty(AttachPty.forTerminals(true, true, true, Optional.of(log))),
                new LaunchStdio(slave, slave, slave));
        readUntil("logged-line");
        assertEquals(0, a.waitFor());
        assertTrue(Files.readString(log).contains("logged-line"), Files.readString(log));
    }

    @Test
    void killedCommandStillRestoresTheCallersTerminal() throws Exception {
        PreparedLaunch target = container();
        byte[] before = termios();
        AttachedProcess a = attach(plan(target, "sh", "-c", "echo READY; exec sleep 1000")
                .withPty(AttachPty.forTerminals(true, true, true, Optional.empty())),
                new LaunchStdio(slave, slave, slave));
        readUntil("READY");
        assertFalse(Arrays.equals(before, termios()), "raw while relaying");
        a.close();
        assertEquals(128 + 9, a.waitFor());
        assertArrayEquals(before, termios(), "the caller's terminal settings are restored");
    }

    @Test
    void aPtyRequestWithoutAnyFdIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AttachPty.forTerminals(false, false, false, Optional.empty()));
        assertThrows(IllegalArgumentException.class,
                () -> new AttachPty(true, true, true, Optional.of(Path.of("relative.log")), 0, 0));
    }
}
