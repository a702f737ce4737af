package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.shell.internal.GoldenTest.Result;

/**
 * {@code lxc-freeze}, {@code lxc-unfreeze}, {@code lxc-cgroup}, {@code lxc-top} and the cgroup columns of
 * {@code lxc-ls}, with outputs and statuses taken from Debian's LXC 5 on a running busybox container.
 */
class CgroupCommandsTest {
    static final Path P = GoldenTest.P;

    /** A runtime whose running container "web" has v1 cgroup files in a map. */
    static final class CgroupRuntime extends FakeRuntime {
        final Map<String, String> files = new TreeMap<>();
        final List<String> calls = new ArrayList<>();

        CgroupRuntime() {
            super(FakeRuntime.debianSystemConfig());
            add(FakeContainer.running(P, "web", FakeConfig.of(), 4242));
            add(FakeContainer.running(P, "db", FakeConfig.of(), 4343));
            add(FakeContainer.stopped(P, "off", FakeConfig.of()));
        }

        private void running(String name) {
            if (find(P, name).filter(c -> c.state().isActive()).isEmpty()) {
                throw new ContainerNotRunningException(name);
            }
        }

        @Override
        public void freeze(Path lxcpath, String name) {
            running(name);
            calls.add("freeze " + name);
        }

        @Override
        public void unfreeze(Path lxcpath, String name) {
            running(name);
            calls.add("unfreeze " + name);
        }

        @Override
        public String cgroupGet(Path lxcpath, String name, String file) {
            running(name);
            String v = files.get(name + "/" + file);
            if (v == null) {
                throw new UnsupportedFeatureException("Unknown cgroup controller in \"" + file + "\"");
            }
            return v;
        }

        @Override
        public void cgroupSet(Path lxcpath, String name, String file, String value) {
            running(name);
            if (!value.matches("[0-9-]+")) {
                throw new LxjException("Failed to write \"" + value + "\" to \"" + file + "\": EINVAL");
            }
            files.put(name + "/" + file, value + "\n");
        }
    }

    private final CgroupRuntime runtime = new CgroupRuntime();

    private static Result run(LxcCommand command, String args) {
        return GoldenTest.run(command, false, 0, GoldenTest.split(args));
    }

    @Test
    void freezeAndUnfreezeAnswerAsLxc() {
        FreezeCommand freeze = new FreezeCommand(runtime, "0.1.0", FreezeCommand.Verb.FREEZE);
        FreezeCommand unfreeze = new FreezeCommand(runtime, "0.1.0", FreezeCommand.Verb.UNFREEZE);
        assertEquals(new Result("", "", 0), run(freeze, "-P /tmp/shell-oracle -n web"));
        assertEquals(new Result("", "", 0), run(unfreeze, "-P /tmp/shell-oracle web"));
        assertEquals(List.of("freeze web", "unfreeze web"), runtime.calls);
        assertEquals(new Result("", "lxc-freeze: off: Failed to freeze /tmp/shell-oracle:off\n", 1),
                run(freeze, "-P /tmp/shell-oracle -n off"));
        assertEquals(new Result("", "lxc-freeze: nosuch: Failed to freeze /tmp/shell-oracle:nosuch\n", 1),
                run(freeze, "-P /tmp/shell-oracle -n nosuch"));
        // unfreezing a stopped container is nothing to do; a missing one fails
        assertEquals(new Result("", "", 0), run(unfreeze, "-P /tmp/shell-oracle -n off"));
        assertEquals(new Result("", "lxc-unfreeze: nosuch: Failed to unfreeze /tmp/shell-oracle:nosuch\n", 1),
                run(unfreeze, "-P /tmp/shell-oracle -n nosuch"));
        assertEquals(new Result("", "lxc-freeze: No container name specified\n", 1), run(freeze, ""));
        assertTrue(run(freeze, "--help").err().startsWith("Usage: lxc-freeze --name=NAME\n\nlxc-freeze freezes"));
        assertEquals(new Result("", "lxc-unfreeze: No container name specified\n", 1), run(unfreeze, ""));
        assertTrue(run(unfreeze, "--help").err().startsWith(
                "Usage: lxc-unfreeze --name=NAME\n\nlxc-unfreeze unfreezes a container with the identifier NAME\n\n"
                        + "Options :\n  -n, --name=NAME   NAME of the container\n"));
    }

    @Test
    void lxcCgroupGetsWithAFinalNewlineAndSets() {
        LxcCgroupCommand cgroup = new LxcCgroupCommand(runtime, "0.1.0");
        runtime.files.put("web/cpuset.cpus", "0-1\n");
        assertEquals(new Result("0-1\n\n", "", 0), run(cgroup, "-P /tmp/shell-oracle -n web cpuset.cpus"));
        assertEquals(new Result("0-1\n\n", "", 0), run(cgroup, "-P /tmp/shell-oracle web cpuset.cpus"));
        assertEquals(new Result("", "", 0), run(cgroup, "-P /tmp/shell-oracle -n web cpuset.cpus 0 extra"));
        assertEquals("0\n", runtime.files.get("web/cpuset.cpus"));
        Result unknown = run(cgroup, "-P /tmp/shell-oracle -n web foo.bar");
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().endsWith(
                "lxc-cgroup: web: Failed to retrieve value of 'foo.bar' for '/tmp/shell-oracle:web'\n"), unknown.err());
        Result refused = run(cgroup, "-P /tmp/shell-oracle -n web memory.limit_in_bytes abc");
        assertEquals(1, refused.status());
        assertEquals("lxc-cgroup: web: Failed to write \"abc\" to \"memory.limit_in_bytes\": EINVAL\n"
                + "lxc-cgroup: web: Failed to assign 'abc' value to 'memory.limit_in_bytes' for 'web'\n", refused.err());
        assertEquals(new Result("", "lxc-cgroup: off: '/tmp/shell-oracle:off' is not running\n", 1),
                run(cgroup, "-P /tmp/shell-oracle -n off cpuset.cpus"));
        assertEquals(new Result("", "lxc-cgroup: No container name specified\n", 1), run(cgroup, ""));
        assertEquals(new Result("", "lxc-cgroup: could not parse command line\n", 1), run(cgroup, "-n web"));
        assertEquals(new Result("", "lxc-cgroup: could not parse command line\n", 1), run(cgroup, "web"));
    }

    @Test
    void lsShowsRamAndSwapInMegabytes() {
        runtime.files.put("web/memory.usage_in_bytes", "671744\n");
        runtime.files.put("web/memory.memsw.usage_in_bytes", "671744\n");
        // db: a cgroup2 container, memory.current and memory.swap.current
        runtime.files.put("db/memory.current", "3145728\n");
        runtime.files.put("db/memory.swap.current", "1048576\n");
        Result r = run(new LsCommand(runtime, "0.1.0"), "-P /tmp/shell-oracle -f -F NAME,STATE,RAM,SWAP,PID");
        assertEquals("""
                NAME STATE   RAM    SWAP   PID \s
                db   RUNNING 3.00MB 1.00MB 4343\s
                off  STOPPED -      -      -   \s
                web  RUNNING 0.64MB 0.00MB 4242\s
                """, r.out());
        assertTrue(run(new LsCommand(runtime, "0.1.0"), "-P /tmp/shell-oracle --format json web").out()
                .contains("\"ram\": 671744,\n    \"swap\": 0\n"));
    }

    @Test
    void topBatchPrintsLxcsHeaderAndOneLinePerContainer() {
        runtime.files.put("web/cpuacct.usage", "7851062\n");
        runtime.files.put("web/cpuacct.stat", "user 3\nsystem 2\n");
        runtime.files.put("web/blkio.throttle.io_service_bytes", "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\n"
                + "Total 12288\n");
        runtime.files.put("web/blkio.throttle.io_serviced", "8:0 Read 1\n8:0 Write 2\n8:0 Total 3\nTotal 3\n");
        runtime.files.put("web/memory.usage_in_bytes", "585728\n");
        runtime.files.put("web/memory.memsw.usage_in_bytes", "585728\n");
        runtime.files.put("web/memory.kmem.usage_in_bytes", "348160\n");
        runtime.files.put("db/cpu.stat", "usage_usec 2500\nuser_usec 20000\nsystem_usec 10000\n");
        runtime.files.put("db/io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n");
        runtime.files.put("db/memory.current", "1000\n");
        runtime.files.put("db/memory.stat", "anon 10\nkernel 512\n");
        TopCommand top = new TopCommand(runtime, "0.1.0", 2, () -> 1795928500540L);
        Result r = run(top, "-P /tmp/shell-oracle -b -d 0");
        assertEquals(new Result("""
                time_ms,container,cpu_nanos,cpu_sys_userhz,cpu_user_userhz,blkio_bytes,blkio_iops,mem_used_bytes,\
                memsw_used_bytes,kernel_mem_used_bytes
                1795928500540,db,2500000,1,2,300,3,1000,0,512
                1795928500540,web,7851062,2,3,12288,3,585728,585728,348160
                1795928500540,db,2500000,1,2,300,3,1000,0,512
                1795928500540,web,7851062,2,3,12288,3,585728,585728,348160
                """, "", 0), r);
        Result sorted = run(new TopCommand(runtime, "0.1.0", 1, () -> 1L), "-P /tmp/shell-oracle -b -d 0 -s m -r");
        assertEquals(List.of("web", "db"), sorted.out().lines().skip(1).map(l -> l.split(",")[1]).toList());
    }

    @Test
    void infoPrintsOneFieldBareWithH() {
        InfoCommand info = new InfoCommand(runtime, "0.1.0");
        assertEquals("RUNNING\n", run(info, "-P /tmp/shell-oracle -n web -s -H").out());
        assertEquals("4242\n", run(info, "-P /tmp/shell-oracle -n web -p -H").out());
        assertEquals("State:          RUNNING\nPID:            4242\n",
                run(info, "-P /tmp/shell-oracle -n web -s -p -H").out());
        assertEquals("STOPPED\n", run(info, "-P /tmp/shell-oracle -n off -s -H").out());
    }

    @Test
    void infoJsonCarriesTheStatisticsOfARunningContainer() {
        FakeRuntime withStats = new FakeRuntime(FakeRuntime.debianSystemConfig()) {
            @Override
            public java.util.Optional<org.lxj.api.ContainerStats> stats(Path lxcpath, String name) {
                return java.util.Optional.of(new org.lxj.api.ContainerStats(java.util.OptionalLong.of(7378769),
                        java.util.OptionalLong.of(0), java.util.OptionalLong.of(671744),
                        java.util.OptionalLong.empty()));
            }
        }.add(FakeContainer.running(P, "web", FakeConfig.of(), 4242));
        assertEquals("""
                {
                  "name": "web",
                  "state": "RUNNING",
                  "pid": 4242,
                  "stats": {
                    "cpu_nanos": 7378769,
                    "blkio_bytes": 0,
                    "memory_bytes": 671744,
                    "kmem_bytes": null
                  }
                }
                """, run(new InfoCommand(withStats, "0.1.0"), "-P /tmp/shell-oracle -n web --format json").out());
    }

    @Test
    void cpuSecondsRoundAsLxcsFloat() {
        assertEquals("0.01 seconds", InfoCommand.cpuSeconds(7_378_769));
        assertEquals("1.23 seconds", InfoCommand.cpuSeconds(1_234_567_890));
    }

    @Test
    void topDrawsLxcsTable() {
        runtime.files.put("web/cpuacct.usage", "7851062\n");
        runtime.files.put("web/cpuacct.stat", "user 0\nsystem 0\n");
        runtime.files.put("web/blkio.throttle.io_service_bytes", "Total 0\n");
        runtime.files.put("web/memory.usage_in_bytes", "585728\n");
        runtime.files.put("web/memory.memsw.usage_in_bytes", "585728\n");
        runtime.files.put("web/memory.kmem.usage_in_bytes", "348160\n");
        FakeRuntime one = new FakeRuntime(FakeRuntime.debianSystemConfig()) {
            @Override
            public String cgroupGet(Path lxcpath, String name, String file) {
                return runtime.cgroupGet(lxcpath, name, file);
            }
        }.add(FakeContainer.running(P, "h3ref", FakeConfig.of(), 1));
        runtime.add(FakeContainer.running(P, "h3ref", FakeConfig.of(), 1));
        runtime.files.keySet().stream().filter(k -> k.startsWith("web/")).toList()
                .forEach(k -> runtime.files.put("h3ref/" + k.substring(4), runtime.files.get(k)));
        Result r = run(new TopCommand(one, "0.1.0", 1, () -> 1L), "-P /tmp/shell-oracle -d 0");
        // Debian's lxc-top on its busybox container, less the terminal's carriage returns
        assertEquals("\033[H\033[J\033[7m\033[1mContainer                   CPU          CPU          CPU"
                + "                                BlkIO        Mem      MemSw       KMem\n"
                + "Name                       Used          Sys         User                    Total(Read/Write)"
                + "       Used       Used       Used\n"
                + "\033[0mh3ref                      0.01         0.00         0.00         0.00   (  0.00   /  0.00   )"
                + " 572.00 KiB 572.00 KiB 340.00 KiB\n"
                + "TOTAL 1 of 1               0.01         0.00         0.00         0.00   (  0.00   /  0.00   )"
                + " 572.00 KiB 572.00 KiB 340.00 KiB", r.out());
    }
}
