package org.lxj.security.landlock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.security.landlock.internal.LandlockRootFixture.Result;

/**
 * Real containers (root, the real launcher, core's execute with this contributor installed) on a busybox
 * rootfs: the ruleset is enforced inside, denying what it does not allow.
 */
class LandlockRootTest {

    static LandlockRootFixture.Host host;
    static Path rootfs;
    static int abi;

    LandlockRootFixture fixture;

    @BeforeAll
    static void rootBusyboxAndLandlock() throws IOException {
        host = LandlockRootFixture.Host.open("lxj-landlock-root-");
        rootfs = host.rootfs();
        abi = host.abi();
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        fixture = new LandlockRootFixture(host, "lxj-landlock-test-");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    Result execute(String name, String landlock, String script) throws IOException {
        return fixture.execute(name, "lxc.autodev = 0\n" + landlock, script);
    }

    @Test
    void readOnlyRootAndWritableTmp() throws IOException {
        String file = "t-" + UUID.randomUUID();
        Result r = execute("rotmp", "lxj.landlock.fs.exec = /\nlxj.landlock.fs.rw = /tmp\n",
                "touch /tmp/" + file + "; echo tmp=$?; touch /root/" + file + "; echo root=$?; "
                        + "mkdir /mnt/" + file + "; echo mkdir=$?; cat /etc/passwd >/tmp/copy-" + file + "; echo read=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("tmp=0\nroot=1\nmkdir=1\nread=0\n", r.out(), r.err());
        assertTrue(Files.exists(rootfs.resolve("tmp/" + file)));
        assertTrue(Files.notExists(rootfs.resolve("root/" + file)));
        assertTrue(r.err().contains("Permission denied"), r.err());
    }

    @Test
    void tcpConnectIsLimitedToTheAllowedPort() throws IOException {
        assumeTrue(abi >= 4, "TCP rules need Landlock ABI 4; the host has " + abi);
        Result r = execute("net", "lxj.landlock.net.connect = 8080\n",
                "nc 127.0.0.1 8081; echo denied=$?; nc 127.0.0.1 8080; echo allowed=$?");
        assertEquals("denied=1\nallowed=1\n", r.out(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).endsWith("Permission denied"), r.err());
        assertTrue(!lines.get(1).contains("Permission denied"), "port 8080 is allowed: " + r.err());
    }

    @Test
    void withoutRulesTheSameScriptWritesEverywhere() throws IOException {
        String file = "u-" + UUID.randomUUID();
        Result r = execute("free", "", "touch /root/" + file + "; echo root=$?");
        assertEquals("root=0\n", r.out(), r.err());
        Files.delete(rootfs.resolve("root/" + file));
    }
}
