package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ContainerState;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.event.EventJournal;

/** The lock files and journals of vanished or destroyed containers, in a temp run root; no root needed. */
class RunLeftoversTest {
    @TempDir
    Path tmp;
    Path lxcpath;
    RunLayout layout;
    ContainerLocks locks;
    RunLeftovers leftovers;
    List<ContainerEvent> delivered;
    EventJournal journal;

    @BeforeEach
    void setUp() {
        lxcpath = tmp.resolve("lxc");
        layout = new RunLayout(tmp.resolve("run"));
        locks = new ContainerLocks(layout);
        leftovers = new RunLeftovers(layout, locks);
        delivered = new ArrayList<>();
        journal = new EventJournal(layout, leftovers.afterDestroy(delivered::add));
    }

    /** What a start leaves once the container stopped: its lock file and a journal line. */
    void startedAndStopped(String name) throws IOException {
        Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(lxcpath.resolve(name).resolve("config"), "lxc.uts.name = " + name + "\n");
        locks.lock(lxcpath, name).close();
        journal.emit(event(name, ContainerEvent.Kind.STATE, ContainerState.STOPPED));
    }

    ContainerEvent event(String name, ContainerEvent.Kind kind, ContainerState state) {
        return new ContainerEvent(lxcpath, name, kind, state, OptionalInt.empty(), Instant.ofEpochMilli(1));
    }

    Path idDir() {
        return layout.root().resolve(RunLayout.lxcpathId(lxcpath));
    }

    Path lockDir() {
        return layout.root().resolve(RunLayout.LOCKS).resolve(RunLayout.lxcpathId(lxcpath));
    }

    void removeTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    @Test
    void sweepDropsTheJournalAndLockOfAnLxcpathRemovedWithRmRf() throws IOException {
        startedAndStopped("c1");
        assertTrue(Files.exists(layout.lock(lxcpath, "c1")));
        assertEquals(Optional.of(lxcpath), EventJournal.lxcpath(EventJournal.file(layout, lxcpath)));
        assertEquals(0, leftovers.sweep(), "a defined container keeps its lock file and journal");
        assertTrue(Files.exists(layout.lock(lxcpath, "c1")));
        assertTrue(Files.exists(EventJournal.file(layout, lxcpath)));

        removeTree(lxcpath);
        assertEquals(2, leftovers.sweep());
        assertFalse(Files.exists(idDir()));
        assertFalse(Files.exists(lockDir()));
        assertTrue(Files.exists(layout.root().resolve(RunLayout.LOCKS)), "only the lxcpath's own directories go");
    }

    @Test
    void sweepKeepsWhatARunDirectoryOrAHeldLockRefersTo() throws IOException {
        startedAndStopped("c1");
        startedAndStopped("c2");
        removeTree(lxcpath);
        Files.createDirectories(layout.dir(lxcpath, "c1"));   // not reconciled yet: c1 may still run
        try (ContainerLocks.Held held = new ContainerLocks(layout).lock(lxcpath, "c2")) {   // another runtime starts c2
            assertEquals(0, leftovers.sweep());
        }
        assertTrue(Files.exists(layout.lock(lxcpath, "c1")));
        assertTrue(Files.exists(layout.lock(lxcpath, "c2")));
        assertTrue(Files.exists(EventJournal.file(layout, lxcpath)));

        Files.delete(layout.dir(lxcpath, "c1"));
        assertEquals(3, leftovers.sweep());
        assertFalse(Files.exists(idDir()));
    }

    @Test
    void aJournalOfAnOlderRuntimeGoesOnceNoRunDirectoryIsBesideIt() throws IOException {
        Path file = EventJournal.file(layout, lxcpath);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "1 2 STATE STOPPED - old\n");   // no lxcpath line
        Files.createDirectories(lxcpath.resolve("old"));
        assertEquals(Optional.empty(), EventJournal.lxcpath(file));
        Files.createDirectories(layout.dir(lxcpath, "old"));
        assertEquals(0, leftovers.sweep());
        Files.delete(layout.dir(lxcpath, "old"));
        assertEquals(1, leftovers.sweep());
        assertFalse(Files.exists(idDir()));
    }

    @Test
    void destroyingTheLastContainerDropsTheJournalAndItsLock() throws IOException {
        startedAndStopped("c1");
        startedAndStopped("c2");
        removeTree(lxcpath.resolve("c1"));   // what lxc-destroy removed before its DESTROYED event
        journal.emit(event("c1", ContainerEvent.Kind.DESTROYED, ContainerState.STOPPED));
        assertEquals(ContainerEvent.Kind.DESTROYED, delivered.get(delivered.size() - 1).kind());
        assertFalse(Files.exists(layout.lock(lxcpath, "c1")));
        assertTrue(Files.exists(layout.lock(lxcpath, "c2")));
        assertTrue(Files.exists(EventJournal.file(layout, lxcpath)), "c2 is still defined in the lxcpath");

        removeTree(lxcpath.resolve("c2"));
        journal.emit(event("c2", ContainerEvent.Kind.DESTROYED, ContainerState.STOPPED));
        assertFalse(Files.exists(idDir()));
        assertFalse(Files.exists(lockDir()));
    }

    @Test
    void aDestroyInsideTheContainersOwnLockLeavesTheLockFileToTheSweep() throws IOException {
        startedAndStopped("c1");
        removeTree(lxcpath);
        try (ContainerLocks.Held held = locks.lock(lxcpath, "c1")) {   // e.g. an ephemeral container's cleanup
            journal.emit(event("c1", ContainerEvent.Kind.DESTROYED, ContainerState.STOPPED));
            assertTrue(Files.exists(layout.lock(lxcpath, "c1")));
        }
        assertEquals(1, leftovers.sweep());
        assertFalse(Files.exists(lockDir()));
    }

    @Test
    void aLockAndAJournalRemovedUnderTheirHoldersAreMadeAgainOnTheirNextUse() throws IOException {
        startedAndStopped("c1");
        removeTree(lxcpath);
        assertEquals(2, leftovers.sweep());
        Object[] keys = new Object[2];
        try (ContainerLocks.Held held = locks.lock(lxcpath, "c1")) {
            keys[0] = ContainerLocks.fileKey(layout.lock(lxcpath, "c1"));
        }
        assertTrue(keys[0] != null, "the lock file is made again");
        journal.emit(event("c1", ContainerEvent.Kind.STATE, ContainerState.STARTING));
        assertEquals(List.of(EventJournal.header(lxcpath), "1 " + ProcessHandle.current().pid()
                + " STATE STARTING - c1"), Files.readAllLines(EventJournal.file(layout, lxcpath)));
    }
}
