package org.lxj.core.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.api.CreateRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.config.SystemConfig;
import org.lxj.core.internal.lifecycle.FakeStorage;
import org.lxj.core.internal.lifecycle.FakeTemplate;
import org.lxj.core.internal.run.RunLayout;
import org.lxj.linux.fake.RecordingSyscalls;

/** The DS component through its plain constructor, with the real config parser. */
class RuntimeComponentTest {
    @TempDir
    Path tmp;
    Path lxcpath;
    RuntimeComponent runtime;

    @BeforeEach
    void setUp() {
        lxcpath = tmp.resolve("lxc");
        runtime = new RuntimeComponent(SystemConfig.defaults(), new RecordingSyscalls(), new RunLayout(tmp.resolve("run")));
        runtime.addStorageBackend(new FakeStorage("dir"), 0);
        runtime.addTemplate(new FakeTemplate("busybox"));
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    @Test
    void eventsReachListenersInOrderOnTheEventThread() throws Exception {
        LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
        runtime.addListener(e -> seen.add(e.kind() + " " + e.name() + " " + e.state() + " "
                + Thread.currentThread().getName()));
        runtime.addListener(e -> {
            throw new IllegalStateException("a broken listener does not stop the others");
        });
        runtime.create(CreateRequest.of(lxcpath, "c1"));
        runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT);
        // The bound only keeps a broken build from hanging; delivery itself is awaited, not timed.
        assertEquals("CREATED c1 STOPPED lxj-events", seen.poll(30, TimeUnit.SECONDS));
        assertEquals("DESTROYED c1 STOPPED lxj-events", seen.poll(30, TimeUnit.SECONDS));
    }

    @Test
    void createAndDestroyWithTemplateThroughTheComponent() {
        var c = runtime.create(new CreateRequest(lxcpath, "c1", Optional.of("busybox"), Optional.empty(), List.of(),
                Map.of(), List.of()));
        assertTrue(c.config().utsName().orElseThrow().contains("c1"), "the template's key is in the parsed config");
        assertEquals(List.of("c1"), runtime.list(lxcpath).stream().map(x -> x.name()).toList());
        runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT);
        assertTrue(runtime.list(lxcpath).isEmpty());
    }

    @Test
    void anInvalidConfigFileNamesFileAndLineAndLeavesNothing() throws IOException {
        Path f = Files.writeString(tmp.resolve("bad.conf"), "lxc.net.0.type = empty\nlxc.bogus.key = 1\n");
        ConfigException e = assertThrows(ConfigException.class, () -> runtime.create(new CreateRequest(lxcpath, "c1",
                Optional.empty(), Optional.of(f), List.of(), Map.of(), List.of())));
        assertEquals(Optional.of(f), e.file());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().startsWith(f + ":2: "), e.getMessage());
        assertFalse(Files.exists(lxcpath.resolve("c1")));
    }

    @Test
    void theSystemConfigurationComesFromConfigurationThenTheFrameworkProperty() throws IOException {
        assertEquals(SystemConfig.defaults(), RuntimeComponent.systemConfig("", null));
        Path conf = Files.writeString(tmp.resolve("lxj.conf"), "lxc.lxcpath = " + lxcpath + "\n");
        assertEquals(lxcpath, RuntimeComponent.systemConfig("", conf.toString()).lxcpath());
        assertEquals(lxcpath, RuntimeComponent.systemConfig(conf.toString(), "/nonexistent/lxj.conf").lxcpath());
    }
}
