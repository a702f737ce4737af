package org.lxj.shell.internal;

import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One container's counters as {@code lxc-top} shows them; zero where its cgroups lack the file, as LXC's zeroed
 * structure does.
 *
 * @param cpuNanos CPU time, nanoseconds ({@code cpuacct.usage}; {@code cpu.stat usage_usec})
 * @param cpuSys   system CPU time in USER_HZ ticks ({@code cpuacct.stat system}; {@code cpu.stat system_usec})
 * @param cpuUser  user CPU time in USER_HZ ticks ({@code cpuacct.stat user}; {@code cpu.stat user_usec})
 * @param ioRead   bytes read ({@code blkio.throttle.io_service_bytes}; {@code io.stat rbytes})
 * @param ioWrite  bytes written
 * @param ioTotal  bytes read and written
 * @param iops     read and write operations ({@code blkio.throttle.io_serviced Total}; {@code io.stat rios+wios})
 * @param mem      memory in use
 * @param memsw    memory and swap in use
 * @param kmem     kernel memory in use ({@code memory.kmem.usage_in_bytes}; {@code memory.stat kernel})
 */
record TopStats(long cpuNanos, long cpuSys, long cpuUser, long ioRead, long ioWrite, long ioTotal, long iops,
        long mem, long memsw, long kmem) {

    static final TopStats ZERO = new TopStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    /** The kernel's USER_HZ, the unit of {@code cpuacct.stat}. */
    static final long USER_HZ = 100;

    /** Reads the counters of one running container. */
    static TopStats read(CgroupReadings r) {
        long cpu;
        long sys;
        long user;
        Optional<String> acct = r.text("cpuacct.stat");
        OptionalLong usage = r.number("cpuacct.usage");
        if (usage.isPresent() || acct.isPresent()) {
            cpu = usage.orElse(0);
            sys = acct.map(t -> CgroupReadings.field(t, "system").orElse(0)).orElse(0L);
            user = acct.map(t -> CgroupReadings.field(t, "user").orElse(0)).orElse(0L);
        } else {
            Optional<String> stat = r.text("cpu.stat");
            cpu = stat.map(t -> CgroupReadings.field(t, "usage_usec").orElse(0) * 1000).orElse(0L);
            sys = stat.map(t -> CgroupReadings.field(t, "system_usec").orElse(0) * USER_HZ / 1_000_000).orElse(0L);
            user = stat.map(t -> CgroupReadings.field(t, "user_usec").orElse(0) * USER_HZ / 1_000_000).orElse(0L);
        }
        long[] bytes;
        long iops;
        Optional<String> v1 = r.text("blkio.throttle.io_service_bytes");
        if (v1.isPresent()) {
            bytes = CgroupReadings.blkio(v1.get());
            iops = r.text("blkio.throttle.io_serviced").map(t -> CgroupReadings.blkio(t)[2]).orElse(0L);
        } else {
            Optional<String> io = r.text("io.stat");
            bytes = io.map(t -> CgroupReadings.ioStat(t, false)).orElse(new long[3]);
            iops = io.map(t -> CgroupReadings.ioStat(t, true)[2]).orElse(0L);
        }
        OptionalLong ram = r.ram();
        long memsw = r.memsw(ram).orElse(0);
        long kmem = r.number("memory.kmem.usage_in_bytes").orElseGet(() -> r.text("memory.stat")
                .map(t -> CgroupReadings.field(t, "kernel").orElse(0)).orElse(0L));
        return new TopStats(cpu, sys, user, bytes[0], bytes[1], bytes[2], iops, ram.orElse(0), memsw, kmem);
    }

    TopStats plus(TopStats o) {
        return new TopStats(cpuNanos + o.cpuNanos, cpuSys + o.cpuSys, cpuUser + o.cpuUser, ioRead + o.ioRead,
                ioWrite + o.ioWrite, ioTotal + o.ioTotal, iops + o.iops, mem + o.mem, memsw + o.memsw, kmem + o.kmem);
    }

    /** The order of {@code -s KEY}: n name (the caller's), c CPU, b block I/O, m memory, s memory+swap, k kmem. */
    static Optional<Comparator<TopStats>> order(char key) {
        return Optional.ofNullable(switch (key) {
            case 'c' -> Comparator.comparingLong(TopStats::cpuNanos);
            case 'b' -> Comparator.comparingLong(TopStats::ioTotal);
            case 'm' -> Comparator.comparingLong(TopStats::mem);
            case 's' -> Comparator.comparingLong(TopStats::memsw);
            case 'k' -> Comparator.comparingLong(TopStats::kmem);
            default -> null;
        });
    }

    /** A byte count as {@code lxc-top} humanizes it: like {@code lxc-info}, small counts as {@code %3u.00   }. */
    static String humanize(long val) {
        if (val > 1L << 10) {
            return InfoCommand.sizeHumanize(val);
        }
        return String.format(Locale.ROOT, "%3d.00   ", val);
    }
}
