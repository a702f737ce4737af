package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.Stdio;
import org.lxj.api.UnshareOptions;

/** {@code lxc-unshare}'s options and refusals; error lines as Debian's LXC 5.0.2 prints them (less its source location). */
class UnshareCommandTest {
    @TempDir
    Path tmp;

    UnshareOptions seen;

    record Result(int status, String out, String err) {
    }

    Result run(String... args) throws IOException {
        Path passwd = Files.writeString(tmp.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nnobody:x:65534:65534::/:/x\n");
        FakeRuntime runtime = new FakeRuntime(FakeRuntime.debianSystemConfig()) {
            @Override
            public int unshare(UnshareOptions options, Stdio stdio) {
                seen = options;
                return 42;
            }
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new UnshareCommand(runtime, "0.1.0", passwd).run(new CommandIo(new PrintStream(out),
                new PrintStream(err), false, 80, Path.of("/")), List.of(args));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void optionsReachTheRuntimeAndTheStatusComesBack() throws IOException {
        Result r = run("-s", "UTSNAME|PID", "-s", "MOUNT", "-H", "x", "-M", "-u", "nobody", "--", "sh", "-c", "hostname");
        assertEquals(42, r.status());
        assertEquals(Set.of("UTSNAME", "PID", "MOUNT"), seen.namespaces());
        assertEquals(Optional.of("x"), seen.hostname());
        assertEquals(OptionalLong.of(65534), seen.uid());
        assertEquals(List.of("sh", "-c", "hostname"), seen.command());
        assertEquals(true, seen.remount());
        assertEquals(false, seen.daemonize());
        run("-s", "USER", "-u", "1000", "-d", "id");
        assertEquals(OptionalLong.of(1000), seen.uid());
        assertEquals(true, seen.daemonize());
        assertEquals(List.of("id"), seen.command());
    }

    @Test
    void refusalsReadAsLxcs() throws IOException {
        assertEquals(new Result(1, "", "lxc-unshare: A namespace to execute command is required\n"), run("true"));
        assertEquals(new Result(1, "", "lxc-unshare: A command to execute in the new namespace is required\n"),
                run("-s", "PID"));
        assertEquals(new Result(1, "", "lxc-unshare: could not parse command line\n"), run("-s", "FOO", "--", "true"));
        assertEquals(new Result(1, "", "lxc-unshare: -H <hostname> needs -s UTSNAME option\n"),
                run("-s", "MOUNT", "-H", "x", "--", "true"));
        assertEquals(new Result(1, "", "lxc-unshare: -M needs -s MOUNT option\n"),
                run("-s", "UTSNAME", "-M", "--", "true"));
        assertEquals(new Result(1, "", "lxc-unshare: -i <interfacename> needs -s NETWORK option\n"),
                run("-s", "MOUNT", "-i", "lo", "--", "true"));
        Result moved = run("-s", "NETWORK", "-i", "eth1", "--", "true");
        assertEquals(1, moved.status());
        assertEquals("lxc-unshare: Moving interface \"eth1\" into the new network namespace is not supported: it "
                + "needs a network backend, and none is installed\n", moved.err());
        assertEquals(1, run("-s", "USER", "-u", "nosuchuser", "--", "true").status());
        assertNull(seen, "nothing ran");
    }
}
