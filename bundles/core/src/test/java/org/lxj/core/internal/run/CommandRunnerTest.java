package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.AttachOptions;
import org.lxj.api.LxjException;

/** What attach resolves in Java: environment, default shell, namespace names. */
class CommandRunnerTest {
    @TempDir
    Path tmp;

    static AttachOptions options(boolean clear, List<String> set, List<String> keep) {
        return new AttachOptions(List.of(), Set.of(), Set.of(), false, clear, set, keep, OptionalInt.empty(),
                OptionalInt.empty());
    }

    CommandRunner runner() {
        return new CommandRunner(null, null, java.util.Optional::empty, null, p -> null,
                Map.of("HOME", "/root", "TERM", "xterm", "PATH", "/usr/bin"));
    }

    @Test
    void environmentIsKeptOrClearedWithKeptVariables() {
        assertEquals(List.of("HOME=/root", "PATH=/usr/bin", "TERM=xterm", "container=lxc", "A=1"),
                sortedButLast(runner().environment(options(false, List.of("A=1"), List.of()))));
        assertEquals(List.of("TERM=xterm", "container=lxc", "A=b=c", "PATH=" + CommandRunner.DEFAULT_PATH),
                runner().environment(options(true, List.of("A=b=c"), List.of("TERM", "MISSING"))));
        assertThrows(LxjException.class, () -> runner().environment(options(true, List.of("novalue"), List.of())));
    }

    private static List<String> sortedButLast(List<String> env) {
        List<String> head = env.subList(0, env.size() - 1).stream().sorted().toList();
        return java.util.stream.Stream.concat(head.stream(), java.util.stream.Stream.of(env.get(env.size() - 1)))
                .toList();
    }

    @Test
    void defaultShellComesFromTheContainersPasswd() throws IOException {
        Files.createDirectories(tmp.resolve("etc"));
        Files.writeString(tmp.resolve("etc/passwd"), "root:x:0:0::/root:/bin/ash\nu:x:1000:1000::/home/u:/bin/zsh\n");
        assertEquals("/bin/ash", CommandRunner.shell(tmp, 0));
        assertEquals("/bin/zsh", CommandRunner.shell(tmp, 1000));
        assertEquals("/bin/sh", CommandRunner.shell(tmp, 5));
        assertEquals("/bin/sh", CommandRunner.shell(tmp.resolve("missing"), 0));
    }

    @Test
    void passwdThroughASymlinkIsNotRead() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("r"));
        Path hostEtc = Files.createDirectories(tmp.resolve("hostetc"));
        Files.writeString(hostEtc.resolve("passwd"), "root:x:0:0::/root:/bin/evil\n");
        Files.createSymbolicLink(root.resolve("etc"), hostEtc);
        assertEquals("/bin/sh", CommandRunner.shell(root, 0));
    }

    @Test
    void unknownNamespaceNameIsRefused() {
        LxjException e = assertThrows(LxjException.class, () -> runner().namespaces(1, Set.of("MOUNT|BOGUS")));
        assertEquals(true, e.getMessage().startsWith("Invalid namespace \"BOGUS\""));
    }

    @Test
    void attachJoinsThePayloadCgroupOfEveryRecordedHierarchy() {
        List<CgroupRecord> records = List.of(
                new CgroupRecord("v1", new org.lxj.spi.cgroup.CgroupHandle("c1", "lxc.payload.c1", "lxc.monitor.c1",
                        List.of(Path.of("/sys/fs/cgroup/memory/lxc.payload.c1"),
                                Path.of("/sys/fs/cgroup/freezer/lxc.payload.c1")),
                        List.of(Path.of("/sys/fs/cgroup/memory/lxc.monitor.c1")))),
                new CgroupRecord("v2", new org.lxj.spi.cgroup.CgroupHandle("c1", "lxc.payload.c1", "lxc.monitor.c1",
                        List.of(Path.of("/sys/fs/cgroup/unified/lxc.payload.c1")), List.of())));
        RunState s = new RunState("c1", Path.of("/var/lib/lxj"), RunState.RUNNING, 42, 7L, 41, "", Path.of("/"),
                Path.of("/r"), false, 0, 2, 9, false, false);
        assertEquals(List.of(), CommandRunner.payloadCgroups(s));
        assertEquals(List.of(Path.of("/sys/fs/cgroup/memory/lxc.payload.c1"),
                Path.of("/sys/fs/cgroup/freezer/lxc.payload.c1"), Path.of("/sys/fs/cgroup/unified/lxc.payload.c1")),
                CommandRunner.payloadCgroups(s.withCgroups(CgroupRecord.encode(records))));
    }
}
