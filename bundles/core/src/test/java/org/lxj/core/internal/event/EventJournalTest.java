package org.lxj.core.internal.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ContainerState;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.run.RunLayout;

class EventJournalTest {
    static final Path LXCPATH = Path.of("/var/lib/lxc");
    @TempDir
    Path root;

    static ContainerEvent state(String name, ContainerState s) {
        return new ContainerEvent(LXCPATH, name, ContainerEvent.Kind.STATE, s, OptionalInt.empty(),
                Instant.ofEpochMilli(1700000000123L));
    }

    @Test
    void lineFormatRoundTrips() {
        ContainerEvent exited = new ContainerEvent(LXCPATH, "c1", ContainerEvent.Kind.EXITED, ContainerState.STOPPED,
                OptionalInt.of(3), Instant.ofEpochMilli(5));
        assertEquals("5 42 EXITED STOPPED 3 c1", EventJournal.line(exited, 42));
        assertEquals("1700000000123 7 STATE RUNNING - c1", EventJournal.line(state("c1", ContainerState.RUNNING), 7));
        EventJournal.Entry e = EventJournal.parse(LXCPATH, "5 42 EXITED STOPPED 3 c1").orElseThrow();
        assertEquals(42, e.pid());
        assertEquals(exited, e.event());
        assertTrue(EventJournal.parse(LXCPATH, "garbage").isEmpty());
        assertTrue(EventJournal.parse(LXCPATH, "1 2 NOPE RUNNING - c1").isEmpty());
    }

    @Test
    void twoEventsMakeTwoLinesAndReachTheDelegate() throws IOException {
        RunLayout layout = new RunLayout(root);
        List<ContainerEvent> delivered = new ArrayList<>();
        EventJournal journal = new EventJournal(layout, delivered::add);
        journal.emit(state("c1", ContainerState.STARTING));
        journal.emit(state("c1", ContainerState.RUNNING));
        Path file = EventJournal.file(layout, LXCPATH);
        assertEquals(root.resolve(RunLayout.lxcpathId(LXCPATH)).resolve("events"), file);
        long pid = ProcessHandle.current().pid();
        assertEquals(List.of("#lxcpath /var/lib/lxc", "1700000000123 " + pid + " STATE STARTING - c1",
                "1700000000123 " + pid + " STATE RUNNING - c1"), Files.readAllLines(file));
        assertEquals(java.util.Optional.of(LXCPATH), EventJournal.lxcpath(file));
        assertTrue(EventJournal.parse(LXCPATH, EventJournal.header(LXCPATH)).isEmpty());
        assertEquals(2, delivered.size());
    }

    @Test
    void readerStartsAtTheEndReturnsWholeLinesAndFollowsARestart() throws IOException {
        Path file = root.resolve("events");
        Files.writeString(file, "old line\n");
        JournalReader r = new JournalReader(file);
        assertEquals(List.of(), r.poll());
        Files.writeString(file, "a\nb", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("a"), r.poll());
        Files.writeString(file, "c\n", java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("bc"), r.poll());
        Files.writeString(file, "x\n"); // started over: shorter than what was read
        assertEquals(List.of("x"), r.poll());
        JournalReader late = new JournalReader(root.resolve("not-yet"));
        assertEquals(List.of(), late.poll());
        Files.writeString(root.resolve("not-yet"), "first\n");
        assertEquals(List.of("first"), late.poll());
    }

    @Test
    void followerDeliversOtherProcessesEventsOnly() throws Exception {
        Path file = root.resolve("events");
        LinkedBlockingQueue<ContainerEvent> got = new LinkedBlockingQueue<>();
        try (JournalFollower f = JournalFollower.start(LXCPATH, file, 100, got::add)) {
            EventJournal.append(file, LXCPATH, EventJournal.line(state("mine", ContainerState.RUNNING), 100));
            EventJournal.append(file, LXCPATH, EventJournal.line(state("other", ContainerState.RUNNING), 200));
            ContainerEvent e = got.poll(30, TimeUnit.SECONDS);
            assertEquals("other", e.name());
            EventJournal.append(file, LXCPATH, EventJournal.line(state("other", ContainerState.STOPPED), 200));
            assertEquals(ContainerState.STOPPED, got.poll(30, TimeUnit.SECONDS).state());
            assertTrue(got.isEmpty(), "own events are not delivered: " + got);
        }
    }
}
