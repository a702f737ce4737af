package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.AttachOptions;
import org.lxj.api.ContainerState;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.core.internal.runtime.RuntimeComponent;
import org.lxj.spi.host.CgroupHierarchy;

/**
 * lxc-attach on a real container with cgroups in every hierarchy of this (hybrid) host: the attached command
 * is in {@code lxc.payload.NAME} of each, and an attach to a frozen container waits until it is thawed.
 * Shares {@link CgroupRootTest}'s host facts, rootfs and cleanup of the cgroups named after its containers.
 */
class AttachCgroupRootTest {
    /** Every namespace but the cgroup one: the command's /proc/self/cgroup then shows host paths. */
    private static final Set<String> HOST_CGROUP_VIEW = Set.of("MOUNT|PID|UTSNAME|IPC|NETWORK|USER");

    AttachFixture fixture;
    Path lxcpath;
    RuntimeComponent runtime;
    String name;

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
        fixture = new AttachFixture("lxj-attachtest-", "cga", true);
        lxcpath = fixture.lxcpath;
        runtime = fixture.runtime;
        name = fixture.name;
    }

    @AfterEach
    void tearDown() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    private String attachCatCgroup(ByteArrayOutputStream out) {
        int status = runtime.attach(lxcpath, name, new AttachOptions(List.of("/bin/cat", "/proc/self/cgroup"),
                HOST_CGROUP_VIEW, Set.of(), false, false, List.of(), List.of(), OptionalInt.empty(),
                OptionalInt.empty()), new Stdio(new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream()));
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private void assertInEveryPayloadCgroup(String cg) {
        for (CgroupHierarchy h : CgroupRootTest.host.cgroups()) {
            String tag = h.version() == 2 ? "" : String.join(",", h.controllers());
            assertTrue(cg.lines().anyMatch(l -> l.endsWith(":" + tag + ":/lxc.payload." + name)),
                    "attached command not in lxc.payload." + name + " of " + h.mountPoint() + ":\n" + cg);
        }
        assertEquals(CgroupRootTest.host.cgroups().size(), cg.lines().count(), cg);
    }

    @Test
    void theAttachedCommandIsInThePayloadCgroupOfEveryHierarchy() {
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        assertInEveryPayloadCgroup(attachCatCgroup(new ByteArrayOutputStream()));
    }

    @Test
    void anAttachToAFrozenContainerWaitsUntilItIsThawed() throws Exception {
        assumeTrue(CgroupRootTest.host.cgroups().stream().anyMatch(h -> h.version() == 1
                && h.controllers().contains("freezer")), "needs the v1 freezer");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        runtime.freeze(lxcpath, name);
        assertEquals(ContainerState.FROZEN, runtime.get(lxcpath, name).state());
        Path procs = CgroupRootTest.v1Dir("freezer", name).resolve("cgroup.procs");
        Set<String> before = Set.copyOf(Files.readAllLines(procs));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CompletableFuture<String> attaching = CompletableFuture.supplyAsync(() -> attachCatCgroup(out));
        // the attached command joins the frozen cgroup before it runs and is frozen there with the container
        assertTrue(CgroupRootTest.await(() -> {
            try {
                return attaching.isDone() || !before.containsAll(Files.readAllLines(procs));
            } catch (IOException e) {
                return false;
            }
        }), "the attach never reached the frozen cgroup");
        if (attaching.isDone()) {
            attaching.join();   // its failure, if any, is the reason
        }
        assertFalse(attaching.isDone(), "the attach ended inside a frozen container");
        assertEquals(0, out.size(), "the command ran inside a frozen container");
        assertEquals(ContainerState.FROZEN, runtime.get(lxcpath, name).state());
        runtime.unfreeze(lxcpath, name);
        assertInEveryPayloadCgroup(attaching.get(CgroupRootTest.BOUND.toSeconds(), TimeUnit.SECONDS));
        assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, name).state());
    }
}
