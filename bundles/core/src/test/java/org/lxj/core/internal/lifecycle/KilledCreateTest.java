package org.lxj.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ContainerExistsException;
import org.lxj.api.CreateRequest;
import org.lxj.api.config.SystemConfig;

/**
 * A creation in another process, killed with SIGKILL while it holds the {@code partial} marker: while it lives
 * the container is invisible and its name taken; once it is dead the next command removes the leftover.
 */
class KilledCreateTest {
    @TempDir
    Path lxcpath;
    Process child;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly().waitFor();
        }
    }

    @Test
    void aCreationKilledMidWayIsHiddenThenRemovedByTheNextCommand() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-cp", classpath, HangingCreate.class.getName(), lxcpath.toString(), "c1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("LOCKED", out.readLine(), "the child reports that it holds the marker");

        FakeStorage dir = new FakeStorage("dir");
        Lifecycle runtime = new Lifecycle(SystemConfig.defaults(), new TestBackends().add(dir, 0), LinesConfig::parse,
                new NothingRunsStateStore(), e -> { });
        Path c1 = lxcpath.resolve("c1");
        assertEquals(List.of(), runtime.list(lxcpath), "a creation under way is not listed");
        assertTrue(Files.isDirectory(c1.resolve("rootfs")), "and not removed while its maker lives");
        assertTrue(runtime.find(lxcpath, "c1").isEmpty());
        assertThrows(ContainerExistsException.class, () -> runtime.create(CreateRequest.of(lxcpath, "c1")));

        child.destroyForcibly();
        assertEquals(137, child.waitFor());
        assertTrue(Files.exists(c1.resolve("partial")), "kill -9 leaves the marker behind");

        assertEquals(List.of(), runtime.list(lxcpath));
        assertFalse(Files.exists(c1), "the next command removed the leftover");
        assertEquals(List.of("dir:" + c1.resolve("rootfs")), dir.destroyed, "its rootfs through its backend");
        runtime.create(CreateRequest.of(lxcpath, "c1"));
        assertEquals(1, runtime.list(lxcpath).size());
    }
}
