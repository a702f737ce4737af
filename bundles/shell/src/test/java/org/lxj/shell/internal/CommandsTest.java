package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lxj.shell.internal.GoldenTest.P;
import static org.lxj.shell.internal.GoldenTest.oracleRuntime;
import static org.lxj.shell.internal.GoldenTest.run;
import static org.lxj.shell.internal.GoldenTest.split;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.Container;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.CreateRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;
import org.lxj.shell.internal.GoldenTest.Result;

/** Behaviour beyond the goldens: running containers, JSON, requests passed to the runtime, statuses. */
class CommandsTest {

    private static final Path CWD = Path.of("/tmp/shell-oracle-work");

    private final FakeRuntime runtime = oracleRuntime()
            .add(FakeContainer.running(P, "web", FakeConfig.of("lxc.idmap", "u 0 100000 65536",
                    "lxc.idmap", "g 0 100000 65536", "lxc.start.auto", "1"), 4242));

    private Result run(LxcCommand command, String args) {
        return GoldenTest.run(command, false, 0, split(args));
    }

    @Test
    void infoShowsTheInitPidOfARunningContainer() {
        InfoCommand info = new InfoCommand(runtime, "0.1.0");
        Result r = run(info, "-P /tmp/shell-oracle -n web");
        assertEquals("Name:           web\nState:          RUNNING\nPID:            4242\n", r.out());
        assertEquals(0, r.status());
        assertEquals("PID:            4242\n", run(info, "-P /tmp/shell-oracle -n web -p").out());
        assertEquals("State:          RUNNING\nPID:            4242\n", run(info, "-P /tmp/shell-oracle -n web -ps").out());
    }

    @Test
    void infoWritesJson() {
        InfoCommand info = new InfoCommand(runtime, "0.1.0");
        assertEquals("{\n  \"name\": \"web\",\n  \"state\": \"RUNNING\",\n  \"pid\": 4242\n}\n",
                run(info, "-P /tmp/shell-oracle -n web --format json").out());
        Result r = run(info, "-P /tmp/shell-oracle -n h7 --format=json -s -c lxc.group -c lxc.init.cmd -c lxc.bogus");
        assertEquals("""
                {
                  "name": "h7",
                  "state": "STOPPED",
                  "config": {
                    "lxc.group": "db\\nops",
                    "lxc.init.cmd": null
                  }
                }
                """, r.out());
        assertEquals("lxc.bogus invalid\n", r.err());
        Result bad = run(info, "-P /tmp/shell-oracle -n h7 --format yaml");
        assertEquals("lxc-info: Invalid format \"yaml\": expected text or json\n", bad.err());
        assertEquals(1, bad.status());
    }

    @Test
    void infoReadsKeysFromAnRcfile() {
        runtime.configFiles.put(CWD.resolve("other.conf"), FakeConfig.of("lxc.uts.name", "elsewhere"));
        InfoCommand info = new InfoCommand(runtime, "0.1.0");
        assertEquals("lxc.uts.name = elsewhere\n",
                run(info, "-P /tmp/shell-oracle -n c1 --rcfile other.conf -c lxc.uts.name").out());
        Result missing = run(info, "-P /tmp/shell-oracle -n c1 --rcfile nope.conf -c lxc.uts.name");
        assertEquals("lxc-info: Failed to open \"/tmp/shell-oracle-work/nope.conf\": No such file or directory\n",
                missing.err());
        assertEquals(1, missing.status());
    }

    @Test
    void lsFiltersByStateAndShowsRunningColumns() {
        LsCommand ls = new LsCommand(runtime, "0.1.0");
        assertEquals("web\n", run(ls, "-P /tmp/shell-oracle -1 --running").out());
        assertEquals("web\n", run(ls, "-P /tmp/shell-oracle -1 --active").out());
        assertEquals("", run(ls, "-P /tmp/shell-oracle -1 --frozen").out());
        assertEquals("alpha\nc1\nc2\nh7\n", run(ls, "-P /tmp/shell-oracle -1 --stopped").out());
        assertEquals("NAME STATE   PID  AUTOSTART UNPRIVILEGED \nweb  RUNNING 4242 1         true         \n",
                run(ls, "-P /tmp/shell-oracle -f -F NAME,STATE,PID,AUTOSTART,UNPRIVILEGED --filter ^w").out());
    }

    @Test
    void lsWritesJson() {
        LsCommand ls = new LsCommand(runtime, "0.1.0");
        assertEquals("""
                [
                  {
                    "name": "c1",
                    "state": "STOPPED",
                    "pid": null,
                    "autostart": true,
                    "groups": [
                      "web,db"
                    ],
                    "interfaces": [],
                    "ipv4": [],
                    "ipv6": [],
                    "unprivileged": false,
                    "ram": null,
                    "swap": null
                  },
                  {
                    "name": "web",
                    "state": "RUNNING",
                    "pid": 4242,
                    "autostart": true,
                    "groups": [],
                    "interfaces": null,
                    "ipv4": null,
                    "ipv6": null,
                    "unprivileged": true,
                    "ram": null,
                    "swap": null
                  }
                ]
                """, run(ls, "-P /tmp/shell-oracle --format json c1|web").out());
        assertEquals("[]\n", run(ls, "-P /tmp/shell-oracle-none --format=json").out());
    }

    @Test
    void lsUsesTheSystemLxcpathWithoutP() {
        FakeRuntime r = new FakeRuntime(FakeRuntime.debianSystemConfig())
                .add(FakeContainer.stopped(Path.of("/var/lib/lxc"), "sys1", FakeConfig.of()));
        assertEquals("sys1\n", run(new LsCommand(r, "0.1.0"), "-1").out());
        assertEquals("sys1\n", run(new LsCommand(r, "0.1.0"), "-1 -P /var/lib/lxc/../lxc").out());
    }

    @Test
    void createPassesEverythingToTheRuntime() {
        FakeRuntime r = new FakeRuntime(FakeRuntime.debianSystemConfig());
        Result result = run(new CreateCommand(r, "0.1.0"), "-P ct -n web -t busybox -f web.conf -B btrfs,dir "
                + "--dir=rootfs --fstype ext4 --fssize=2G --lvname lv --vgname=vg --thinpool tp -- --arch amd64 -x");
        assertEquals("", result.out() + result.err());
        assertEquals(0, result.status());
        CreateRequest expected = new CreateRequest(CWD.resolve("ct"), "web", Optional.of("busybox"),
                Optional.of(CWD.resolve("web.conf")), List.of("btrfs", "dir"),
                Map.of("dir", CWD.resolve("rootfs").toString(), "fstype", "ext4", "fssize", "2G", "lvname", "lv",
                        "vgname", "vg", "thinpool", "tp"),
                List.of("--arch", "amd64", "-x"));
        assertEquals(List.of(expected), r.created);
    }

    @Test
    void createReportsRuntimeFailuresAsLxcDoes() {
        CreateCommand create = new CreateCommand(runtime, "0.1.0");
        Result lvm = run(create, "-P /tmp/shell-oracle -n z1 -t none -B lvm");
        assertEquals("lxc-create: z1: no storage backend \"lvm\" is installed\n"
                + "lxc-create: z1: Failed to create container z1\n", lvm.err());
        assertEquals(1, lvm.status());
        Result template = run(create, "-P /tmp/shell-oracle -n z2 -t nosuchtpl");
        assertEquals("lxc-create: z2: Template \"nosuchtpl\" not found\n"
                + "lxc-create: z2: Failed to create container z2\n", template.err());
        Result list = run(create, "-P /tmp/shell-oracle -n z3 -t none -B dir,");
        assertEquals("lxc-create: z3: dir, is not a valid backing storage type\n", list.err());
        assertEquals(1, list.status());
    }

    @Test
    void anErrorsExitStatusComesFromTheException() {
        FakeRuntime r = new FakeRuntime(FakeRuntime.debianSystemConfig()) {
            @Override
            public SystemConfig systemConfig() {
                throw new LxjException("Failed to read \"conf/lxj.conf\"") {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public int exitStatus() {
                        return 7;
                    }
                };
            }
        };
        Result result = run(new LsCommand(r, "0.1.0"), "-1");
        assertEquals("lxc-ls: Failed to read \"conf/lxj.conf\"\n", result.err());
        assertEquals(7, result.status());
    }

    @Test
    void destroyRefusesARunningContainerUnlessForced() {
        DestroyCommand destroy = new DestroyCommand(runtime, "0.1.0");
        Result refused = run(destroy, "-P /tmp/shell-oracle -n web");
        assertEquals("lxc-destroy: web: Container \"web\" is running\n", refused.err());
        assertEquals(1, refused.status());
        Result forced = run(destroy, "-P /tmp/shell-oracle -n web -fs");
        assertEquals(0, forced.status());
        assertEquals(List.of("web"), runtime.destroyed);
        assertEquals(List.of(new DestroyOptions(true, true)), runtime.destroyOptions);
    }

    @Test
    void helpUsageAndVersion() {
        InfoCommand info = new InfoCommand(runtime, "0.1.0");
        Result help = run(info, "--help");
        assertEquals("", help.out());
        assertEquals(InfoCommand.HELP, help.err());
        assertEquals(0, help.status());
        assertTrue(InfoCommand.HELP.startsWith(GoldenTest.golden("info-help", "err").lines().limit(4)
                .map(l -> l + "\n").reduce("", String::concat)), "help starts as LXC's");
        assertTrue(InfoCommand.HELP.endsWith("\nSee the lxc-info man page for further information.\n\n"));
        assertEquals(InfoCommand.HELP, run(info, "-?").err());
        assertEquals("0.1.0\n", run(info, "--version").out());
        Result usage = run(info, "--usage");
        assertEquals("""
                Usage: lxc-info [-c|--config=CONFIG] [-i|--ips] [-s|--state] [-p|--pid]
                \t[-S|--stats] [-H|--no-humanize] [-n|--name=NAME] [--rcfile=RCFILE]
                \t[--format=FORMAT] [-o|--logfile=LOGFILE] [-l|--logpriority=LOGPRIORITY]
                \t[-q|--quiet] [-P|--lxcpath=LXCPATH] [-h|--help] [-?] [--usage]
                \t[--version]
                """, usage.err());
        assertTrue(usage.err().lines().allMatch(l -> l.replace("\t", "        ").length() <= 80), "fits 80 columns");
        assertEquals(0, usage.status());
    }

    @Test
    void configPrintsThisRuntimesSystemConfiguration() {
        ConfigCommand config = new ConfigCommand(new FakeRuntime(SystemConfig.defaults()));
        assertEquals("/var/lib/lxj\n", run(config, "lxc.lxcpath").out());
        assertEquals("lxc.payload.%n\n", run(config, "lxc.cgroup.pattern").out());
        assertEquals("lxc.default_config is not set.\n", run(config, "lxc.default_config").out());
        assertEquals("lxc\n", run(config, "lxc.bdev.zfs.root").out());
        assertEquals("lxc\n", run(config, "lxc.bdev.lvm.thin_pool").out());
        assertEquals("/var/lib/lxj\n", run(config, "lxc.lxcpath lxc.bdev.lvm.vg").out());
    }

    @Test
    void updateConfigCallsTheRuntime() {
        UpdateConfigCommand update = new UpdateConfigCommand(runtime);
        assertEquals(UpdateConfigCommand.HELP, run(update, "").out());
        assertEquals(GoldenTest.golden("update-noargs", "out").replace("/usr/bin/lxc-update-config", "lxc-update-config"),
                UpdateConfigCommand.HELP);
        assertEquals(UpdateConfigCommand.HELP, run(update, "--help").out());
        Result ok = run(update, "-c c1/config");
        assertEquals("", ok.out() + ok.err());
        assertEquals(0, ok.status());
        assertEquals(0, run(update, "--config=/abs/config").status());
        assertEquals(List.of(CWD.resolve("c1/config"), Path.of("/abs/config")), runtime.updated);

        Result bad = run(update, "-x");
        assertEquals("lxc-update-config: invalid option -- 'x'\n", bad.err());
        assertEquals(1, bad.status());
        Result noFile = run(update, "extra");
        assertEquals("lxc-update-config: No configuration file specified\n" + UpdateConfigCommand.HELP, noFile.err());
        assertEquals(1, noFile.status());

        runtime.updateFailure = new LxjException("Failed to read \"/nope\": No such file or directory");
        Result failed = run(update, "-c /nope");
        assertEquals("lxc-update-config: Failed to read \"/nope\": No such file or directory\n", failed.err());
        assertEquals(1, failed.status());
    }

    @Test
    void executeLeavesTheExitStatusInTheSession() {
        FakeSession session = new FakeSession(CWD);
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            InfoCommand info = new InfoCommand(runtime, "0.1.0");
            assertNull(info.execute(session, List.of("-P", P, "-n", "nope")));
            assertEquals(1, session.get(LxcCommand.EXIT_VARIABLE));
            assertNull(info.info(session, "-P", P.toString(), "-n", "c1", "-s"));
            assertEquals(0, session.get(LxcCommand.EXIT_VARIABLE));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertEquals("State:          STOPPED\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("nope doesn't exist\n", err.toString(StandardCharsets.UTF_8));
    }
}
