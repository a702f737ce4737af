package org.lxj.control.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;

/**
 * Gogo sessions with the shell profile already sourced, reused from one forwarded command to the next: creating
 * a session and sourcing the profile costs several milliseconds per command (one statement after another through
 * the session's thread pool), more than the rest of a fast command. A session's streams are switchable, so a
 * borrowed session writes to the fds of the request that holds it. When it comes back its variables and current
 * directory are reset to what the profile left, so nothing of one request reaches the next; a session whose
 * command was interrupted (a client that hung up, a runtime that stops) may still have a job running and is
 * closed instead. At most {@value #MAX_IDLE} idle sessions are kept; more concurrent requests get sessions that
 * are closed after use.
 */
final class SessionPool implements AutoCloseable {
    static final int MAX_IDLE = 4;

    private final CommandProcessor processor;
    private final Path profile;
    private final Map<String, Object> context;
    private final ConcurrentLinkedDeque<Pooled> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger created = new AtomicInteger();
    private volatile boolean closed;

    /**
     * @param profile the shell profile sourced into each new session, or null for none
     * @param context variables put into each new session before the profile is sourced
     */
    SessionPool(CommandProcessor processor, Path profile, Map<String, Object> context) {
        this.processor = processor;
        this.profile = profile;
        this.context = Map.copyOf(context);
    }

    /**
     * A session for one request, its streams switched to {@code in}, {@code out}, {@code err}. A new session's
     * profile warnings go to {@code err}.
     */
    Pooled borrow(InputStream in, PrintStream out, PrintStream err) {
        Pooled p = idle.pollFirst();
        if (p == null) {
            p = create(err::println);
        }
        p.attach(in, out, err);
        return p;
    }

    /** Makes one idle session ahead of the first request; profile warnings go to {@code warn}. */
    void prewarm(Consumer<String> warn) {
        Pooled p = create(warn);
        if (!offer(p)) {
            p.close();
        }
    }

    /** Takes a session back after its request: reset and kept when {@code reusable}, otherwise closed. */
    void giveBack(Pooled p, boolean reusable) {
        p.detach();
        if (!reusable || !p.reset() || !offer(p)) {
            p.close();
        }
    }

    private boolean offer(Pooled p) {
        if (closed || idle.size() >= MAX_IDLE) {
            return false;
        }
        idle.addFirst(p);
        if (closed && idle.remove(p)) {
            return false;                                   // close() ran meanwhile
        }
        return true;
    }

    /** How many sessions were made so far (for tests and the log). */
    int created() {
        return created.get();
    }

    int idle() {
        return idle.size();
    }

    private Pooled create(Consumer<String> warn) {
        Switched.In in = new Switched.In();
        Switched.Out out = new Switched.Out();
        Switched.Out err = new Switched.Out();
        CommandSession session = processor.createSession(in, out, err);
        context.forEach(session::put);
        source(session).ifPresent(warn);
        created.incrementAndGet();
        return new Pooled(session, in, out, err);
    }

    /** Sources the profile into {@code session}; a warning when it failed. */
    private Optional<String> source(CommandSession session) {
        if (profile == null || !Files.isRegularFile(profile)) {
            return Optional.empty();
        }
        try {
            session.execute(Files.readString(profile, StandardCharsets.UTF_8));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("lxj: WARNING: Failed to read \"" + profile + "\": " + e.getMessage());
        } catch (Exception e) {
            return Optional.of("lxj: WARNING: \"" + profile + "\": " + SessionRunner.message(e));
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Pooled p; (p = idle.pollFirst()) != null;) {
            p.close();
        }
    }

    /** A session of the pool with its switchable streams and the state the profile left in it. */
    static final class Pooled {
        private final CommandSession session;
        private final Switched.In in;
        private final Switched.Out out;
        private final Switched.Out err;
        private final Map<String, Object> baseline = new HashMap<>();
        private final Set<String> initial;
        private final Path baseDir;

        private Pooled(CommandSession session, Switched.In in, Switched.Out out, Switched.Out err) {
            this.session = session;
            this.in = in;
            this.out = out;
            this.err = err;
            Set<String> names = names(session);
            this.initial = Set.copyOf(names);
            for (String name : names) {
                // get() would evaluate a "#name" function in place of the plain name: keep those as they are
                if (!names.contains("#" + name)) {
                    baseline.put(name, session.get(name));
                }
            }
            this.baseDir = session.currentDir();
        }

        CommandSession session() {
            return session;
        }

        private void attach(InputStream i, PrintStream o, PrintStream e) {
            in.target = i;
            out.target = o;
            err.target = e;
        }

        private void detach() {
            session.getConsole().flush();
            in.target = InputStream.nullInputStream();
            out.target = OutputStream.nullOutputStream();
            err.target = OutputStream.nullOutputStream();
        }

        /** Back to the profile's state; false when that is not possible (the session was closed). */
        private boolean reset() {
            try {
                for (String name : names(session)) {
                    if (!initial.contains(name)) {
                        session.put(name, null);
                    }
                }
                baseline.forEach(session::put);
                if (baseDir != null) {
                    session.currentDir(baseDir);
                }
                return true;
            } catch (IllegalStateException e) {
                return false;
            }
        }

        private static Set<String> names(CommandSession session) {
            Object v = session.get(null);
            Set<String> names = new HashSet<>();
            if (v instanceof Set<?> s) {
                s.forEach(n -> names.add(String.valueOf(n)));
            }
            return names;
        }

        private void close() {
            session.close();
        }
    }

    /** Streams whose target the pool switches between requests. */
    private static final class Switched {
        private Switched() {
        }

        static final class In extends InputStream {
            volatile InputStream target = InputStream.nullInputStream();

            @Override
            public int read() throws IOException {
                return target.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return target.read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                return target.available();
            }
        }

        static final class Out extends OutputStream {
            volatile OutputStream target = OutputStream.nullOutputStream();

            @Override
            public void write(int b) throws IOException {
                target.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                target.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                target.flush();
            }
        }
    }
}
