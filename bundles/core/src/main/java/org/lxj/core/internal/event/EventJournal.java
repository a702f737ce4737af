package org.lxj.core.internal.event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

import org.lxj.api.ContainerState;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.lifecycle.EventSink;
import org.lxj.core.internal.run.RunLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records the state changes and exits of this runtime's containers in {@code <run>/<lxcpath-id>/events}, one line per event appended under a
 * lock, so that {@code lxc-monitor} in another runtime process sees it (each one-command run is its own JVM). A
 * line reads {@code <epoch-ms> <pid> <KIND> <STATE> <exit|-> <name>}; the file starts over once it passes
 * {@link #MAX_SIZE}, which a reader notices by its shrinking. Then the event goes on to {@code delegate}.
 */
public final class EventJournal implements EventSink {
    /** The journal's name in an lxcpath's run directory. */
    public static final String NAME = "events";
    static final long MAX_SIZE = 1 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);

    private final RunLayout layout;
    private final EventSink delegate;
    private final long pid = ProcessHandle.current().pid();

    public EventJournal(RunLayout layout, EventSink delegate) {
        this.layout = layout;
        this.delegate = delegate;
    }

    /** The journal of {@code lxcpath}'s containers. */
    public static Path file(RunLayout layout, Path lxcpath) {
        return layout.root().resolve(RunLayout.lxcpathId(lxcpath)).resolve(NAME);
    }

    @Override
    public void emit(ContainerEvent event) {
        if (event.kind() != ContainerEvent.Kind.STATE && event.kind() != ContainerEvent.Kind.EXITED) {
            // what lxc-monitor shows; creation and destruction do not put a journal beside lxcpaths never started
            delegate.emit(event);
            return;
        }
        try {
            append(file(layout, event.lxcpath()), line(event, pid));
        } catch (IOException e) {
            LOG.warn("{}: failed to record event {} {} in the journal: {}", event.name(), event.kind(),
                    event.state(), e.toString());
        }
        delegate.emit(event);
    }

    static void append(Path file, String line) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
                FileLock lock = ch.lock()) {
            if (ch.size() > MAX_SIZE) {
                ch.truncate(0);
            }
            ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        }
    }

    /** The journal line of {@code event}, written by process {@code pid}. */
    public static String line(ContainerEvent event, long pid) {
        return event.time().toEpochMilli() + " " + pid + " " + event.kind() + " " + event.state() + " "
                + (event.exitStatus().isPresent() ? Integer.toString(event.exitStatus().getAsInt()) : "-") + " "
                + event.name();
    }

    /** A parsed journal line: the event and the process that recorded it; empty for a malformed line. */
    public record Entry(long pid, ContainerEvent event) {
    }

    /** Parses a line of {@code lxcpath}'s journal. */
    public static Optional<Entry> parse(Path lxcpath, String line) {
        String[] f = line.split(" ", 6);
        if (f.length != 6 || f[5].isEmpty()) {
            return Optional.empty();
        }
        try {
            OptionalInt exit = f[4].equals("-") ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(f[4]));
            ContainerEvent e = new ContainerEvent(lxcpath, f[5], ContainerEvent.Kind.valueOf(f[2]),
                    ContainerState.valueOf(f[3]), exit, Instant.ofEpochMilli(Long.parseLong(f[0])));
            return Optional.of(new Entry(Long.parseLong(f[1]), e));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
