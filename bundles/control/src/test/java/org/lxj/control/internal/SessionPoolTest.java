package org.lxj.control.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions with the profile sourced once, reused without carrying anything from one request to the next. */
class SessionPoolTest {
    private CommandProcessorImpl processor;
    private SessionPool pool;

    @TempDir
    Path tmp;

    @BeforeEach
    void setUp() throws Exception {
        processor = new CommandProcessorImpl(SharedThreadIo.get());
        processor.addCommand("t", new Say(), "say");
        Path profile = Files.writeString(tmp.resolve("gosh_profile"), "greeting = 'hello'\nshout = { say $args }\n");
        pool = new SessionPool(processor, profile, Map.of("lxj.marker", "set by the pool"));
    }

    @AfterEach
    void tearDown() {
        pool.close();
        processor.stop();
    }

    /** A command writing to its standard output, as LXJ's commands do. */
    public static final class Say {
        public void say(String word) {
            System.out.println(word);
        }
    }

    private static PrintStream sink() {
        return new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Test
    void aSessionIsSourcedOnceAndReused() throws Exception {
        SessionPool.Pooled first = pool.borrow(InputStream.nullInputStream(), sink(), sink());
        assertEquals("hello", first.session().get("greeting"));
        assertEquals("set by the pool", first.session().get("lxj.marker"));
        pool.giveBack(first, true);
        SessionPool.Pooled second = pool.borrow(InputStream.nullInputStream(), sink(), sink());
        assertSame(first.session(), second.session());
        assertEquals(1, pool.created());
        pool.giveBack(second, true);
        assertEquals(1, pool.idle());
    }

    @Test
    void whatARequestSetsDoesNotReachTheNext() throws Exception {
        SessionPool.Pooled p = pool.borrow(InputStream.nullInputStream(), sink(), sink());
        CommandSession s = p.session();
        s.execute("leftover = 'from the first request'");
        s.execute("greeting = 'changed'");
        s.currentDir(tmp);
        pool.giveBack(p, true);
        SessionPool.Pooled again = pool.borrow(InputStream.nullInputStream(), sink(), sink());
        assertSame(s, again.session());
        assertNull(s.get("leftover"));
        assertEquals("hello", s.get("greeting"));
        assertEquals(Path.of("").toAbsolutePath(), s.currentDir().toAbsolutePath());
        pool.giveBack(again, true);
    }

    @Test
    void outputGoesToTheRequestHoldingTheSession() throws Exception {
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        SessionPool.Pooled p = pool.borrow(InputStream.nullInputStream(),
                new PrintStream(one, true, StandardCharsets.UTF_8), sink());
        p.session().execute("shout first");
        pool.giveBack(p, true);
        ByteArrayOutputStream two = new ByteArrayOutputStream();
        p = pool.borrow(InputStream.nullInputStream(), new PrintStream(two, true, StandardCharsets.UTF_8), sink());
        p.session().execute("shout second");
        pool.giveBack(p, true);
        assertEquals("first\n", one.toString(StandardCharsets.UTF_8));
        assertEquals("second\n", two.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anInterruptedSessionIsClosedNotReused() {
        SessionPool.Pooled p = pool.borrow(InputStream.nullInputStream(), sink(), sink());
        pool.giveBack(p, false);
        assertEquals(0, pool.idle());
        SessionPool.Pooled fresh = pool.borrow(InputStream.nullInputStream(), sink(), sink());
        assertEquals(2, pool.created());
        pool.giveBack(fresh, true);
    }

    @Test
    void atMostAFewIdleSessionsAreKept() {
        SessionPool.Pooled[] held = new SessionPool.Pooled[SessionPool.MAX_IDLE + 2];
        for (int i = 0; i < held.length; i++) {
            held[i] = pool.borrow(InputStream.nullInputStream(), sink(), sink());
        }
        for (SessionPool.Pooled p : held) {
            pool.giveBack(p, true);
        }
        assertEquals(SessionPool.MAX_IDLE, pool.idle());
    }

    @Test
    void aBrokenProfileIsReportedToTheRequest() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad_profile"), "nosuchcommand-anywhere\n");
        try (SessionPool p = new SessionPool(processor, bad, Map.of())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            SessionPool.Pooled s = p.borrow(InputStream.nullInputStream(), sink(),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            p.giveBack(s, true);
            String text = err.toString(StandardCharsets.UTF_8);
            assertEquals(true, text.startsWith("lxj: WARNING: \"" + bad + "\": "), text);
        }
    }
}
