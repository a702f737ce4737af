package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.AttachOptions;
import org.lxj.api.AttachTerminal;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.core.internal.runtime.RuntimeComponent;
import org.lxj.linux.PollEvents;

/**
 * lxc-attach with a terminal through the runtime: a pty this test allocates through the linux bundle is the
 * caller's terminal; the command gets a pty of the container's devpts, owned by the attached user, that follows
 * the caller's window through the {@link AttachTerminal.Resizer}, and {@code -L} logs its output.
 */
class AttachTerminalRootTest {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final int O_CLOEXEC = 02000000;
    private static final long TCGETS = 0x5401;
    private static final long TIOCSWINSZ = 0x5414;
    private static final long TIOCSPTLCK = 0x40045431L;
    private static final long TIOCGPTPEER = 0x5441;

    AttachFixture fixture;
    Path lxcpath;
    RuntimeComponent runtime;
    String name;
    final List<Integer> fds = new ArrayList<>();
    int master = -1;
    int slave = -1;

    @BeforeAll
    static void rootBusyboxAndCgroups() throws IOException {
        CgroupRootTest.rootBusyboxAndCgroups();
    }

    @AfterAll
    static void removeBase() throws IOException {
        CgroupRootTest.removeBase();
    }

    @BeforeEach
    void setUp() throws IOException {
        fixture = new AttachFixture("lxj-attachtty-", "tty", false);
        lxcpath = fixture.lxcpath;
        runtime = fixture.runtime;
        name = fixture.name;
        master = track(CgroupRootTest.sys.open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0));
        CgroupRootTest.sys.ioctlBuffer(master, TIOCSPTLCK, new byte[4]);
        slave = track(CgroupRootTest.sys.ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    }

    private int track(int fd) {
        fds.add(fd);
        return fd;
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (fixture != null) {
                fixture.close();
            }
        } finally {
            for (int fd : fds) {
                CgroupRootTest.sys.close(fd);
            }
        }
    }

    private void setWindow(int rows, int columns) {
        CgroupRootTest.sys.ioctlBuffer(slave, TIOCSWINSZ, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder())
                .putShort((short) rows).putShort((short) columns).putInt(0).array());
    }

    private byte[] termios() {
        byte[] t = new byte[64];
        CgroupRootTest.sys.ioctlBuffer(slave, TCGETS, t);
        return Arrays.copyOf(t, 36);
    }

    /** Reads the caller's master until {@code end} was read, at most {@link CgroupRootTest#BOUND}. */
    private String readUntil(ByteArrayOutputStream sb, String end) {
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + CgroupRootTest.BOUND.toNanos();
        while (!sb.toString(StandardCharsets.ISO_8859_1).contains(end)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("No \"" + end + "\"; read: " + sb);
            }
            short[] ready = CgroupRootTest.sys.poll(new int[] { master }, PollEvents.POLLIN, (int) left);
            if (ready[0] == 0) {
                continue;
            }
            int n = CgroupRootTest.sys.read(master, buf, 0, buf.length);
            if (n <= 0) {
                throw new AssertionError("EOF before \"" + end + "\"; read: " + sb);
            }
            sb.write(buf, 0, n);
        }
        return sb.toString(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theCommandGetsItsOwnPtyThatFollowsTheCallersWindowAndIsLogged() throws Exception {
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        setWindow(30, 90);
        byte[] before = termios();
        Path log = lxcpath.resolve("pty.log");
        AtomicReference<AttachTerminal.Resizer> resizer = new AtomicReference<>();
        AttachOptions options = new AttachOptions(List.of("/bin/sh", "-c",
                "tty; stat -c owner=%u $(tty); stty size; echo READY; read x; stty size; echo DONE; exit 7"),
                Set.of(), Set.of(), false, false, List.of(), List.of(), OptionalInt.of(1000), OptionalInt.of(1001));
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> runtime.attach(lxcpath, name, options,
                Stdio.ofFds(new Stdio.Fds(slave, slave, slave)),
                new AttachTerminal(true, true, true, Optional.of(log), 0, 0, resizer::set)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String first = readUntil(out, "READY");
        Matcher tty = Pattern.compile("(?m)^(/dev/pts/\\d+)\\r?$").matcher(first);
        assertTrue(tty.find(), first);
        assertTrue(first.contains("owner=1000"), "the pty belongs to the attached user: " + first);
        assertTrue(first.contains("30 90"), first);
        setWindow(44, 120);
        // the command may print READY before the runtime has read ATTACHED and handed out the resizer
        long handedOut = System.nanoTime() + CgroupRootTest.BOUND.toNanos();
        while (resizer.get() == null && System.nanoTime() < handedOut) {
            Thread.sleep(1);
        }
        assertTrue(resizer.get() != null, "the runtime handed out the resizer once the command ran");
        resizer.get().resize();
        CgroupRootTest.sys.write(master, new byte[] { '\r' }, 0, 1);
        String all = readUntil(out, "DONE");
        assertTrue(all.contains("44 120"), all);
        assertEquals(7, status.get(CgroupRootTest.BOUND.toSeconds(), TimeUnit.SECONDS));
        assertArrayEquals(before, termios(), "the caller's terminal settings are restored");
        String logged = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertTrue(logged.contains("READY") && logged.contains("DONE"), logged);
    }
}
