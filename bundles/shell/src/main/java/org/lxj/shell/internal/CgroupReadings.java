package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;

/**
 * Numbers read from a running container's cgroup files through {@link ContainerRuntime#cgroupGet}, the way LXC's
 * tools read them ({@code lxc-ls} RAM and SWAP, {@code lxc-top}): the v1 file first, then its cgroup2 counterpart.
 * A value is empty when neither file can be read (the controller is missing, or the container stopped meanwhile).
 */
final class CgroupReadings {
    private final ContainerRuntime runtime;
    private final Path lxcpath;
    private final String name;

    CgroupReadings(ContainerRuntime runtime, Path lxcpath, String name) {
        this.runtime = runtime;
        this.lxcpath = lxcpath;
        this.name = name;
    }

    /** The content of the first of {@code files} that can be read. */
    Optional<String> text(String... files) {
        for (String f : files) {
            try {
                return Optional.of(runtime.cgroupGet(lxcpath, name, f));
            } catch (LxjException e) {
                // not this layout's file: try the next
            }
        }
        return Optional.empty();
    }

    /** The first of {@code files} holding one number. */
    OptionalLong number(String... files) {
        for (String f : files) {
            Optional<String> t = text(f);
            if (t.isPresent() && t.get().trim().matches("\\d+")) {
                return OptionalLong.of(Long.parseLong(t.get().trim()));
            }
        }
        return OptionalLong.empty();
    }

    /** Memory in use: {@code memory.usage_in_bytes}, {@code memory.current}. */
    OptionalLong ram() {
        return number("memory.usage_in_bytes", "memory.current");
    }

    /**
     * Swap in use: v1 {@code memory.memsw.usage_in_bytes} less the memory in use, as {@code lxc-ls} computes it;
     * v2 {@code memory.swap.current}.
     */
    OptionalLong swap(OptionalLong ram) {
        OptionalLong memsw = number("memory.memsw.usage_in_bytes");
        if (memsw.isPresent()) {
            return OptionalLong.of(Math.max(0, memsw.getAsLong() - ram.orElse(0)));
        }
        return number("memory.swap.current");
    }

    /** Memory and swap in use, v1 {@code memory.memsw.usage_in_bytes}; v2 the sum of current memory and swap. */
    OptionalLong memsw(OptionalLong ram) {
        OptionalLong memsw = number("memory.memsw.usage_in_bytes");
        if (memsw.isPresent()) {
            return memsw;
        }
        OptionalLong swap = number("memory.swap.current");
        return swap.isPresent() && ram.isPresent() ? OptionalLong.of(ram.getAsLong() + swap.getAsLong())
                : OptionalLong.empty();
    }

    /** The value of {@code key} in a {@code key value} file such as {@code cpuacct.stat} or {@code cpu.stat}. */
    static OptionalLong field(String text, String key) {
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(key) && f[1].matches("\\d+")) {
                return OptionalLong.of(Long.parseLong(f[1]));
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The sums of the {@code Read}, {@code Write} and {@code Total} lines of a v1 {@code blkio.throttle.*} file
     * (LXC reads the last {@code Total} line for the whole).
     */
    static long[] blkio(String text) {
        long[] out = new long[3];
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[2].matches("\\d+")) {
                int i = List.of("Read", "Write").indexOf(f[1]);
                if (i >= 0) {
                    out[i] += Long.parseLong(f[2]);
                }
            } else if (f.length == 2 && f[0].equals("Total") && f[1].matches("\\d+")) {
                out[2] = Long.parseLong(f[1]);
            }
        }
        return out;
    }

    /**
     * The sums over devices of a cgroup2 {@code io.stat}: bytes read, written and their total, or with
     * {@code ios} the read and write operations.
     */
    static long[] ioStat(String text, boolean ios) {
        long[] out = new long[3];
        String r = ios ? "rios=" : "rbytes=";
        String w = ios ? "wios=" : "wbytes=";
        for (String line : text.split("\n")) {
            for (String kv : line.trim().split("\\s+")) {
                if (kv.startsWith(r) && kv.substring(r.length()).matches("\\d+")) {
                    out[0] += Long.parseLong(kv.substring(r.length()));
                } else if (kv.startsWith(w) && kv.substring(w.length()).matches("\\d+")) {
                    out[1] += Long.parseLong(kv.substring(w.length()));
                }
            }
        }
        out[2] = out[0] + out[1];
        return out;
    }
}
