package org.lxj.core.internal.event;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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
 * line reads {@code <epoch-ms> <pid> <KIND> <STATE> <exit|-> <name>}, after a first line {@code #lxcpath <path>};
 * the file starts over once it passes {@link #MAX_SIZE}, which a reader notices by its shrinking. Then the event
 * goes on to {@code delegate}. The journal and its directory go when the lxcpath has no container left
 * ({@code RunLeftovers}).
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
            append(file(layout, event.lxcpath()), event.lxcpath(), line(event, pid));
        } catch (IOException e) {
            LOG.warn("{}: failed to record event {} {} in the journal: {}", event.name(), event.kind(),
                    event.state(), e.toString());
        }
        delegate.emit(event);
    }

    /**
     * Appends {@code line} under the journal's lock. A journal started (or started over) begins with
     * {@link #header(Path) its lxcpath}, which the start-up sweep reads. {@code RunLeftovers} removes a journal and
     * its directory while holding that lock: a lock taken on a file the path no longer names is taken again.
     */
    static void append(Path file, Path lxcpath, String line) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Files.createDirectories(file.getParent());
            Object before = fileKey(file);
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
            } catch (NoSuchFileException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                continue;   // its directory was swept in between: made again
            }
            try (ch; FileLock lock = ch.lock()) {
                if ((before == null || !before.equals(fileKey(file))) && attempt < MAX_ATTEMPTS) {
                    continue;   // made just now, or swept and made again: lock the file the path names now
                }
                String text = line + "\n";
                if (ch.size() > MAX_SIZE) {
                    ch.truncate(0);
                }
                if (ch.size() == 0) {
                    text = header(lxcpath) + "\n" + text;
                }
                ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                return;
            }
        }
    }

    private static final int MAX_ATTEMPTS = 100;

    private static Object fileKey(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** The journal's first line, naming its lxcpath; {@link #parse} takes it for no event. */
    public static String header(Path lxcpath) {
        return HEADER + lxcpath.toAbsolutePath().normalize();
    }

    /** The lxcpath a journal names in its first line; empty when it has none (a journal of an older runtime). */
    public static Optional<Path> lxcpath(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            return first != null && first.startsWith(HEADER) && first.length() > HEADER.length()
                    ? Optional.of(Path.of(first.substring(HEADER.length()))) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static final String HEADER = "#lxcpath ";

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
