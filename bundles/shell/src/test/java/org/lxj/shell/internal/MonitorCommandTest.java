package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerState;
import org.lxj.api.event.ContainerEvent;
import org.lxj.api.event.ContainerListener;
import org.lxj.api.event.Subscription;

class MonitorCommandTest {
    static final Path LXC = Path.of("/var/lib/lxc");

    static ContainerEvent state(Path lxcpath, String name, ContainerState s) {
        return new ContainerEvent(lxcpath, name, ContainerEvent.Kind.STATE, s, OptionalInt.empty(), Instant.EPOCH);
    }

    static ContainerEvent exited(String name, int status) {
        return new ContainerEvent(LXC, name, ContainerEvent.Kind.EXITED, ContainerState.STOPPED, OptionalInt.of(status),
                Instant.EPOCH);
    }

    @Test
    void linesAreLxcs() {
        assertEquals("'anchor1' changed state to [FREEZING]",
                MonitorCommand.line(state(LXC, "anchor1", ContainerState.FREEZING)).orElseThrow());
        assertEquals("'c1' exited with status [0]", MonitorCommand.line(exited("c1", 0)).orElseThrow());
        assertEquals("'c1' exited with status [42]", MonitorCommand.line(exited("c1", 42)).orElseThrow());
        assertEquals("'c1' exited with status [9]", MonitorCommand.line(exited("c1", 137)).orElseThrow(),
                "LXC prints the signal of a killed init");
        assertTrue(MonitorCommand.line(new ContainerEvent(LXC, "c1", ContainerEvent.Kind.CREATED,
                ContainerState.STOPPED, OptionalInt.empty(), Instant.EPOCH)).isEmpty());
    }

    /** An output that counts lines, so the test waits for them instead of for time. */
    static final class Lines extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch latch;

        Lines(int expected) {
            latch = new CountDownLatch(expected);
        }

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
            if (b == '\n') {
                latch.countDown();
            }
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void printsMatchingEventsOfThisAndOtherProcessesUntilInterrupted() throws Exception {
        Map<String, ContainerListener> journals = new ConcurrentHashMap<>();
        AtomicInteger closed = new AtomicInteger();
        CountDownLatch following = new CountDownLatch(1);
        FakeRuntime runtime = new FakeRuntime(FakeRuntime.debianSystemConfig()) {
            @Override
            public Subscription followJournal(Path lxcpath, ContainerListener listener) {
                journals.put(lxcpath.toString(), listener);
                following.countDown();
                return closed::incrementAndGet;
            }
        };
        List<ContainerListener> whiteboard = new CopyOnWriteArrayList<>();
        CountDownLatch subscribed = new CountDownLatch(1);
        MonitorCommand monitor = new MonitorCommand(runtime, "0.1.0", l -> {
            whiteboard.add(l);
            subscribed.countDown();
            return () -> {
                whiteboard.remove(l);
                closed.incrementAndGet();
            };
        });
        Lines out = new Lines(3);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandIo io = new CommandIo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err), false, 80,
                Path.of("/"));
        AtomicInteger status = new AtomicInteger(-1);
        Thread t = new Thread(() -> status.set(monitor.run(io, List.of("-n", "c[12]", "-P", "/var/lib/lxc"))));
        t.start();
        assertTrue(subscribed.await(30, TimeUnit.SECONDS));
        assertTrue(following.await(30, TimeUnit.SECONDS));
        ContainerListener own = whiteboard.get(0);
        ContainerListener other = journals.get("/var/lib/lxc");
        own.containerChanged(state(LXC, "c1", ContainerState.STARTING));
        own.containerChanged(state(LXC, "web", ContainerState.RUNNING)); // name does not match
        own.containerChanged(state(Path.of("/srv/lxc"), "c1", ContainerState.RUNNING)); // another lxcpath
        other.containerChanged(state(LXC, "c2", ContainerState.RUNNING));
        own.containerChanged(exited("c1", 0));
        assertTrue(out.latch.await(30, TimeUnit.SECONDS), out.text());
        t.interrupt();
        t.join(30_000);
        assertEquals("""
                'c1' changed state to [STARTING]
                'c2' changed state to [RUNNING]
                'c1' exited with status [0]
                """, out.text());
        assertEquals(MonitorCommand.INTERRUPTED, status.get());
        assertEquals(2, closed.get(), "whiteboard listener and journal released");
        assertTrue(whiteboard.isEmpty());
    }

    @Test
    void quitSaysThereIsNoMonitord() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        MonitorCommand monitor = new MonitorCommand(new FakeRuntime(FakeRuntime.debianSystemConfig()), "0.1.0",
                l -> () -> { });
        int rc = monitor.run(new CommandIo(new PrintStream(out), new PrintStream(err), false, 80, Path.of("/")),
                List.of("-Q"));
        assertEquals(0, rc);
        assertEquals("", out.toString());
        assertTrue(err.toString().startsWith("lxc-monitor: There is no lxc-monitord to quit"), err.toString());
    }

    @Test
    void aBadRegexIsRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        MonitorCommand monitor = new MonitorCommand(new FakeRuntime(FakeRuntime.debianSystemConfig()), "0.1.0",
                l -> () -> { });
        int rc = monitor.run(new CommandIo(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err), false,
                80, Path.of("/")), List.of("-n", "("));
        assertEquals(1, rc);
        assertEquals("lxc-monitor: could not parse command line\n", err.toString());
    }
}
