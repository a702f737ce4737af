package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.itests.ContainerCli.Result;

/**
 * Busybox containers started through {@code bin/lxj}, with the facts read from inside them through
 * {@code lxc-attach}: isolation, the init, the mounts and devices, exit statuses, stop and short-lived inits.
 * Root and a real kernel; every container lives in one private lxcpath removed afterwards.
 */
class ContainerRunIT {
    /** The long-running container most facts are read from. */
    private static final String C = "c";

    private static ContainerCli cli;
    private static long initPid;

    @BeforeAll
    static void startContainer() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        cli = ContainerCli.create("lxj-it-run-");
        initPid = cli.createAndStart(C, "-s", "lxc.net.0.type=empty");
    }

    @AfterAll
    static void destroyContainers() throws Exception {
        if (cli != null) {
            List<String> problems = cli.destroyAll();
            assertEquals(List.of(), problems, "cleanup of " + cli.lxcpath);
        }
    }

    @Test
    void infoAndListShowItRunningWithItsPid() throws Exception {
        assertTrue(initPid > 1, "init PID " + initPid);
        assertTrue(Files.isDirectory(Path.of("/proc", Long.toString(initPid))), "init " + initPid + " exists on the host");
        Result ls = cli.run("lxc-ls", "-f", "-P", cli.lxcpath.toString());
        ls.assertSuccess();
        assertTrue(Pattern.compile("(?m)^c\\s+RUNNING\\s").matcher(ls.out()).find(), ls.toString());
        Result pid = cli.run("lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", cli.lxcpath.toString());
        pid.assertSuccess();
        assertTrue(Pattern.compile("(?m)^c\\s+RUNNING\\s+" + initPid + "\\s*$").matcher(pid.out()).find(), pid.toString());
    }

    @Test
    void namespacesDifferFromTheHost() throws Exception {
        String out = cli.sh(C, "for n in pid mnt uts ipc net cgroup; do echo $n $(readlink /proc/self/ns/$n); done");
        List<String> lines = out.lines().toList();
        assertEquals(6, lines.size(), out);
        for (String line : lines) {
            String[] f = line.split(" ");
            String host = ContainerCli.hostNamespace(f[0]);
            assertTrue(f[1].startsWith(f[0] + ":["), line);
            assertNotEquals(host, f[1], "the " + f[0] + " namespace of an attached process is the host's");
        }
    }

    @Test
    void pidOneIsTheInit() throws Exception {
        String out = cli.sh(C, "tr '\\0' '\\n' < /proc/1/cmdline | head -n 1; readlink /proc/1/exe; readlink -f /sbin/init");
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        assertTrue(lines.get(0).equals("init") || lines.get(0).equals("/sbin/init"), "argv[0] of PID 1: " + out);
        assertEquals(lines.get(2), lines.get(1), "PID 1 runs lxc.init.cmd (/sbin/init): " + out);
    }

    @Test
    void psShowsOnlyTheContainersTasks() throws Exception {
        String out = cli.sh(C, "ps -o pid,comm");
        List<String[]> rows = out.lines().skip(1).map(l -> l.trim().split("\\s+", 2)).toList();
        assertFalse(rows.isEmpty(), out);
        assertTrue(rows.stream().anyMatch(r -> r[0].equals("1") && r[1].equals("init")), "PID 1 is init: " + out);
        long hostTasks;
        try (var s = Files.list(Path.of("/proc"))) {
            hostTasks = s.filter(p -> p.getFileName().toString().matches("\\d+")).count();
        }
        assertTrue(rows.size() < 10 && rows.size() < hostTasks, "a handful of tasks, the host has " + hostTasks + ": " + out);
        for (String[] r : rows) {
            assertTrue(r[1].matches("init|syslogd|sh|ps|getty|cttyhack|udhcpc"), "a container task: " + Arrays.toString(r) + " in\n" + out);
            assertTrue(Long.parseLong(r[0]) < 1000, "a PID of the container's namespace: " + out);
        }
    }

    @Test
    void hostnameIsTheUtsName() throws Exception {
        Result conf = cli.lxc("lxc-info", C, "-c", "lxc.uts.name");
        conf.assertSuccess();
        String configured = conf.out().substring(conf.out().indexOf('=') + 1).trim().replace("\"", "");
        assertEquals(C, configured, "the busybox template names the host after the container");
        assertEquals(configured + "\n", cli.sh(C, "hostname"));
        assertNotEquals(Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(), configured, "differs from the host's");
    }

    @Test
    void onlyLoopbackWithAnEmptyNetwork() throws Exception {
        String out = cli.sh(C, "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '");
        assertEquals("lo\n", out, "interfaces of lxc.net.0.type = empty");
    }

    @Test
    void maskedPathsReadEmpty() throws Exception {
        List<String> files = new ArrayList<>();
        for (String f : List.of("/proc/keys", "/proc/timer_list", "/proc/interrupts", "/proc/kcore", "/proc/sched_debug",
                "/proc/latency_stats", "/proc/timer_stats")) {
            // only files with content on the host: there an empty read inside proves the mask
            if (Files.isReadable(Path.of(f)) && !f.equals("/proc/kcore") && readsSomething(Path.of(f))) {
                files.add(f);
            }
        }
        assumeTrue(!files.isEmpty(), "the host has none of the masked /proc files with content");
        StringBuilder script = new StringBuilder();
        for (String f : files) {
            script.append("echo ").append(f).append(" $(wc -c < ").append(f).append(");");
        }
        String out = cli.sh(C, script.toString());
        for (String f : files) {
            assertTrue(out.contains(f + " 0\n"), f + " reads empty inside: " + out);
        }
        if (Files.isDirectory(Path.of("/sys/firmware"))) {
            assertEquals("", cli.sh(C, "ls -A /sys/firmware"), "/sys/firmware is masked");
        }
    }

    private static boolean readsSomething(Path file) {
        try (var in = Files.newInputStream(file)) {
            return in.read() >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void readOnlyPathsGiveErofs() throws Exception {
        Result r = cli.lxc("lxc-attach", C, "--", "sh", "-c", "echo c > /proc/sys/kernel/hostname");
        assertNotEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("Read-only file system"), "EROFS on /proc/sys: " + r);
        if (Files.exists(Path.of("/proc/sysrq-trigger"))) {
            Result t = cli.lxc("lxc-attach", C, "--", "sh", "-c", "echo h > /proc/sysrq-trigger");
            assertNotEquals(0, t.status(), t.toString());
            assertTrue(t.err().contains("Read-only file system"), "EROFS on /proc/sysrq-trigger: " + t);
        }
    }

    @Test
    void devHoldsTheStandardNodes() throws Exception {
        String out = cli.sh(C, "stat -c '%n %F %t:%T' /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty");
        assertEquals("""
                /dev/null character special file 1:3
                /dev/zero character special file 1:5
                /dev/full character special file 1:7
                /dev/random character special file 1:8
                /dev/urandom character special file 1:9
                /dev/tty character special file 5:0
                """, out);
        assertEquals("0\n", cli.sh(C, "head -c 8 /dev/zero | tr -d '\\0' | wc -c"), "/dev/zero reads zeros");
    }

    @Test
    void attachPropagatesExitStatuses() throws Exception {
        for (int status : new int[] {0, 1, 42}) {
            Result r = cli.lxc("lxc-attach", C, "--", "sh", "-c", "exit " + status);
            assertEquals(status, r.status(), r.toString());
        }
    }

    @Test
    void executeRunsTheCommandAsPidTwoAndPropagatesExitStatuses() throws Exception {
        cli.lxc("lxc-create", "e", "-t", "busybox").assertSuccess();
        Result pid = cli.lxc("lxc-execute", "e", "--", "sh", "-c", "echo $$");
        pid.assertSuccess();
        assertEquals("2\n", pid.out(), pid.toString());
        for (int status : new int[] {0, 1, 42}) {
            Result r = cli.lxc("lxc-execute", "e", "--", "sh", "-c", "exit " + status);
            assertEquals(status, r.status(), r.toString());
        }
        Result info = cli.lxc("lxc-info", "e");
        assertTrue(Pattern.compile("(?m)^State:\\s+STOPPED$").matcher(info.out()).find(), info.toString());
        assertFalse(Files.exists(cli.runDir("e")), "run directory of e removed after execute");
    }

    @Test
    void stopKillsAnInitThatIgnoresTheHaltSignal() throws Exception {
        cli.lxc("lxc-create", "c2", "-t", "busybox").assertSuccess();
        cli.lxc("lxc-start", "c2", "--", "sh", "-c", "trap '' USR1 PWR TERM; while :; do sleep 1; done").assertSuccess();
        long pid = cli.initPid("c2");
        Result stop = cli.lxc("lxc-stop", "c2", "-t", "2");
        assertEquals(0, stop.status(), "killed after the timeout: " + stop);
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "init " + pid + " is gone");
        Result again = cli.lxc("lxc-stop", "c2", "-t", "2");
        assertEquals(2, again.status(), "not running: " + again);
        assertTrue(again.err().contains("c2 is not running"), again.toString());
    }

    @Test
    void aShortLivedInitReachesStoppedTwentyTimesInARow() throws Exception {
        cli.lxc("lxc-create", "s", "-t", "busybox").assertSuccess();
        for (int i = 1; i <= 20; i++) {
            Result start = cli.lxc("lxc-start", "s", "--", "/bin/true");
            assertEquals(0, start.status(), "start " + i + ": " + start);
            Result wait = cli.lxc("lxc-wait", "s", "-s", "STOPPED", "-t", Integer.toString(ContainerCli.STATE_TIMEOUT_SECONDS));
            assertEquals(0, wait.status(), "round " + i + ": STOPPED within " + ContainerCli.STATE_TIMEOUT_SECONDS + " s: " + wait);
        }
        Result info = cli.lxc("lxc-info", "s");
        assertTrue(Pattern.compile("(?m)^State:\\s+STOPPED$").matcher(info.out()).find(), info.toString());
    }

    @Test
    void readOnlyRootfsAndInitIdentityAsConfigured() throws Exception {
        cli.lxc("lxc-create", "r", "-t", "busybox").assertSuccess();
        cli.lxc("lxc-start", "r", "-s", "lxc.rootfs.options=ro", "-s", "lxc.init.uid=1000", "-s", "lxc.init.gid=1001",
                "-s", "lxc.init.cwd=/tmp", "-s", "lxc.environment=LXJ_IT=yes",
                "--", "sh", "-c", "while :; do sleep 1; done").assertSuccess();
        cli.initPid("r");
        String ids = cli.sh("r", "grep -E '^(Uid|Gid):' /proc/1/status | tr -s '\\t' ' '; readlink /proc/1/cwd;"
                + " tr '\\0' '\\n' < /proc/1/environ | grep '^LXJ_IT='");
        assertEquals("Uid: 1000 1000 1000 1000\nGid: 1001 1001 1001 1001\n/tmp\nLXJ_IT=yes\n", ids);
        Result write = cli.lxc("lxc-attach", "r", "--", "sh", "-c", "touch /lxj-it-marker");
        assertNotEquals(0, write.status(), write.toString());
        assertTrue(write.err().contains("Read-only file system"), "/ is read-only: " + write);
        assertFalse(Files.exists(cli.lxcpath.resolve("r/rootfs/lxj-it-marker")));
        cli.lxc("lxc-stop", "r", "-k").assertSuccess();
    }

    /**
     * CVE-2016-9962 / CVE-2024-21626: a process entering the container holds nothing but 0-2. The shell's own
     * fd table is listed by a child {@code ls}: {@code ls /proc/self/fd} would also list the directory fd 3 ls
     * itself opens, and a pipeline ({@code ls | tr}) would show the shell's pipe end while ls runs. The same
     * script on the host, spawned by this JVM with only 0-2 open, is the baseline.
     */
    @Test
    void onlyStdioIsOpenInsideAnAttachedProcess() throws Exception {
        String script = "ls /proc/$$/fd; true";
        Process host = new ProcessBuilder("busybox", "sh", "-c", script)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        assumeTrue(host.waitFor(ContainerCli.STATE_TIMEOUT_SECONDS, TimeUnit.SECONDS), "busybox sh on the host");
        String baseline = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("0\n1\n2\n", baseline, "the baseline: busybox sh opens no fd of its own");
        assertEquals(baseline, cli.sh(C, script), "fds of an attached shell");
        assertEquals(baseline, cli.sh(C, "ls /proc/1/fd; true"), "fds of init");
    }

    /** CVE-2019-5736: the monitor (init's parent, outside the container) runs from a sealed memfd. */
    @Test
    void theMonitorRunsFromAMemfd() throws Exception {
        long monitor = ContainerCli.parentOf(initPid);
        String exe = Files.readSymbolicLink(Path.of("/proc", Long.toString(monitor), "exe")).toString();
        assertTrue(exe.startsWith("/memfd:"), "monitor " + monitor + " runs " + exe);
        assertTrue(ContainerCli.processesUsing(cli.runDir(C)).contains(monitor), "monitor " + monitor + " holds the run dir");
    }

    /** An attached command gets no capability that init lacks (lxc.cap.drop of the busybox template). */
    @Test
    void anAttachedCommandIsBoundedByInitsCapabilities() throws Exception {
        String init = cli.sh(C, "grep CapBnd /proc/1/status");
        String attached = cli.sh(C, "grep CapBnd /proc/self/status");
        assertEquals(init, attached, "bounding set of an attached shell");
        String hostStatus;
        try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/self/status"))) {
            hostStatus = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertNotEquals(hostStatus.lines()
                .filter(l -> l.startsWith("CapBnd")).findFirst().orElseThrow() + "\n", init,
                "the template's lxc.cap.drop shrank init's set below the host's");
        assertEquals("CapInh:\t0000000000000000\n", cli.sh(C, "grep CapInh /proc/self/status"),
                "no inheritable capabilities by default (CVE-2022-29162)");
    }
}
