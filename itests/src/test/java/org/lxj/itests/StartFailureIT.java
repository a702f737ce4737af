package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.itests.ContainerCli.Result;

/**
 * A start that fails inside the launcher reports what failed with its errno on stderr, exits non-zero and
 * undoes everything: the container is STOPPED, and no mount, run directory or process is left on the host.
 */
class StartFailureIT {
    private static ContainerCli cli;

    @BeforeAll
    static void createContainer() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        cli = ContainerCli.create("lxj-it-fail-");
    }

    @AfterAll
    static void destroyContainers() throws Exception {
        if (cli != null) {
            assertEquals(List.of(), cli.destroyAll(), "cleanup of " + cli.lxcpath);
        }
    }

    @Test
    void aMountEntryWithAMissingSourceFailsCleanly() throws Exception {
        cli.lxc("lxc-create", "m", "-t", "busybox").assertSuccess();
        Path missing = cli.lxcpath.resolve("no-such-source");
        Result r = cli.lxc("lxc-start", "m", "-s", "lxc.mount.entry=" + missing + " mnt none bind 0 0");
        assertNotEquals(0, r.status(), r.toString());
        assertEquals("", r.out(), "errors go to stderr");
        assertTrue(r.err().contains("lxc-start: m: Failed to mount \"" + missing + "\""), "the failed step: " + r);
        assertTrue(r.err().contains("ENOENT"), "the errno: " + r);
        assertLeftNothing("m");
        // the failure left no state behind that stops a correct start
        cli.lxc("lxc-start", "m").assertSuccess();
        cli.initPid("m");
        cli.lxc("lxc-stop", "m", "-k").assertSuccess();
        assertLeftNothing("m");
    }

    @Test
    void aMissingInitFailsCleanly() throws Exception {
        cli.lxc("lxc-create", "i", "-t", "busybox").assertSuccess();
        Result r = cli.lxc("lxc-start", "i", "--", "/no/such/init");
        assertNotEquals(0, r.status(), r.toString());
        assertEquals("", r.out(), "errors go to stderr");
        assertTrue(r.err().contains("lxc-start: i: Failed to exec \"/no/such/init\""), "the failed step: " + r);
        assertTrue(r.err().contains("ENOENT"), "the errno: " + r);
        assertLeftNothing("i");

        Result configured = cli.lxc("lxc-start", "i", "-s", "lxc.init.cmd=/sbin/no-such-init");
        assertNotEquals(0, configured.status(), configured.toString());
        assertTrue(configured.err().contains("/sbin/no-such-init") && configured.err().contains("ENOENT"), configured.toString());
        assertLeftNothing("i");
    }

    private void assertLeftNothing(String name) throws Exception {
        Result info = cli.lxc("lxc-info", name);
        info.assertSuccess();
        assertTrue(Pattern.compile("(?m)^State:\\s+STOPPED$").matcher(info.out()).find(), info.toString());
        assertEquals(List.of(), cli.strayMounts(), "mounts under " + cli.lxcpath + " or its run root");
        Path run = cli.runDir(name);
        assertFalse(Files.exists(run), "run directory " + run + " is left");
        assertEquals(List.of(), ContainerCli.processesUsing(run.getParent()), "processes (a monitor) using " + run.getParent());
        assertEquals(List.of(), ContainerCli.zombieChildren(), "zombie children of the test JVM");
    }
}
