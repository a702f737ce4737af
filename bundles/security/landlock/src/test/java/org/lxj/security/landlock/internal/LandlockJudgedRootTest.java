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
 * Landlock in real containers (root, the real launcher, core's execute with the contributor installed, a busybox
 * rootfs), each rule shown both ways: a read-only, an exec and a read-write path next to an unlisted one; an
 * allowed TCP port that really binds and carries a connection (a listener inside the container's own network
 * namespace) next to a denied port that fails with EACCES, not with a refused connection.
 */
class LandlockJudgedRootTest {

    static LandlockRootFixture.Host host;
    static Path rootfs;
    static int abi;

    LandlockRootFixture fixture;

    @BeforeAll
    static void rootBusyboxAndLandlock() throws IOException {
        host = LandlockRootFixture.Host.open("lxj-E-landlock-root-");
        rootfs = host.rootfs();
        abi = host.abi();
        Files.writeString(rootfs.resolve("root/secret"), "secret\n");
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        fixture = new LandlockRootFixture(host, "lxj-E-landlock-test-");
    }

    @AfterEach
    void tearDown() throws IOException {
        if (fixture != null) {
            fixture.close();
        }
    }

    Result execute(String name, String landlock, String script) throws IOException {
        return fixture.execute(name, landlock, script);
    }

    @Test
    void eachPathRuleAllowsItsRightsAndAnUnlistedPathIsDenied() throws IOException {
        String f = "j-" + UUID.randomUUID();
        String script = "cat /etc/passwd >/tmp/" + f + "; echo ro_read=$?; "
                + "touch /etc/" + f + "; echo ro_write=$?; "
                + "/bin/true; echo exec=$?; "
                + "cat /tmp/" + f + " >/tmp/" + f + ".2; echo rw_read_write=$?; "
                + "mkdir /tmp/" + f + ".d; echo rw_mkdir=$?; "
                + "cat /root/secret; echo unlisted_read=$?; "
                + "ls /root; echo unlisted_list=$?; "
                + "touch /root/" + f + "; echo unlisted_write=$?";
        Result open = execute("pathsopen", "lxc.autodev = 0\n", script);
        Result r = execute("paths", "lxc.autodev = 0\nlxj.landlock.fs.exec = /bin\nlxj.landlock.fs.ro = /etc\n"
                + "lxj.landlock.fs.rw = /tmp\n", script.replace(f, f + "x"));
        assertEquals(0, r.status(), r.err());
        assertEquals("ro_read=0\nro_write=1\nexec=0\nrw_read_write=0\nrw_mkdir=0\nunlisted_read=1\n"
                + "unlisted_list=1\nunlisted_write=1\n", r.out(), r.err());
        assertEquals(4, r.err().lines().filter(l -> l.endsWith("Permission denied")).count(),
                "the four denials are EACCES: " + r.err());
        assertTrue(Files.isRegularFile(rootfs.resolve("tmp/" + f + "x.2")));
        assertTrue(Files.notExists(rootfs.resolve("etc/" + f + "x")));
        assertTrue(Files.notExists(rootfs.resolve("root/" + f + "x")));
        // without rules, the same script does everything: the denials above are the ruleset's
        assertEquals("ro_read=0\nro_write=0\nexec=0\nrw_read_write=0\nrw_mkdir=0\nsecret\nunlisted_read=0\n"
                + "secret\nunlisted_list=0\nunlisted_write=0\n", open.out(), open.err());
        Files.delete(rootfs.resolve("etc/" + f));
        Files.delete(rootfs.resolve("root/" + f));
    }

    /**
     * Listens on {@code port} in the background, then connects to it until the listener is up (bounded; the
     * refusals before that go to a file, and the background job's stdin is a file: the rootfs has no
     * {@code /dev/null}).
     */
    static String serveAndConnect(String tag, int port) {
        return ": >/tmp/" + tag + ".in; (nc -l -p " + port + " >/tmp/" + tag + "; echo " + tag + "_listen=$? >/tmp/"
                + tag + ".status) </tmp/" + tag + ".in & "
                + "i=0; until echo " + tag + " | nc 127.0.0.1 " + port + " 2>/tmp/" + tag + ".err; do i=$((i+1)); "
                + "[ $i -gt 500 ] && break; usleep 10000; done; wait; cat /tmp/" + tag + ".status /tmp/" + tag + "; ";
    }

    @Test
    void anAllowedPortBindsAndConnectsAndADeniedPortGetsEacces() throws IOException {
        assumeTrue(abi >= 4, "TCP rules need Landlock ABI 4; the host has " + abi);
        // autodev (the default) gives the /dev/null busybox's sh opens for a background job
        String script = "ip link set lo up; " + serveAndConnect("allowed", 8080)
                + "nc -l -p 8081; echo bind_denied=$?; "
                + "nc 127.0.0.1 8081; echo connect_denied=$?";
        Result r = execute("ports", "lxj.landlock.net.bind = 8080\nlxj.landlock.net.connect = 8080\n", script);
        assertEquals(0, r.status(), r.err());
        assertEquals("allowed_listen=0\nallowed\nbind_denied=1\nconnect_denied=1\n", r.out(),
                "8080 binds and carries a connection; 8081 neither: " + r.err());
        List<String> errors = r.err().lines().toList();
        assertEquals(2, errors.size(), r.err());
        assertTrue(errors.get(0).contains("bind") && errors.get(0).endsWith("Permission denied"), r.err());
        assertTrue(errors.get(1).endsWith("Permission denied"), "EACCES, not a refused connection: " + r.err());
    }
}
