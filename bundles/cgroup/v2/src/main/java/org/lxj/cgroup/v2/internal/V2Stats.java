package org.lxj.cgroup.v2.internal;

import org.lxj.linux.CgroupFs;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import org.lxj.spi.cgroup.CgroupStats;

/** {@code lxc-info} statistics from the cgroup2 files of a payload cgroup. */
final class V2Stats {
    private final CgroupFs files;

    V2Stats(CgroupFs files) {
        this.files = files;
    }

    CgroupStats of(Path dir) {
        OptionalLong usec = keyed(dir.resolve("cpu.stat"), "usage_usec");
        OptionalLong cpu = usec.isPresent() ? OptionalLong.of(usec.getAsLong() * 1000L) : OptionalLong.empty();
        return new CgroupStats(cpu, io(dir.resolve("io.stat")), number(dir.resolve("memory.current")),
                keyed(dir.resolve("memory.stat"), "kernel"), number(dir.resolve("pids.current")));
    }

    private OptionalLong number(Path file) {
        return files.readIfPresent(file).map(String::trim).filter(s -> s.matches("\\d+"))
                .map(s -> OptionalLong.of(Long.parseLong(s))).orElse(OptionalLong.empty());
    }

    /** The value of {@code key} in a flat keyed file ({@code usage_usec 1234}). */
    private OptionalLong keyed(Path file, String key) {
        Optional<String> text = files.readIfPresent(file);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        for (String line : text.get().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(key) && f[1].matches("\\d+")) {
                return OptionalLong.of(Long.parseLong(f[1]));
            }
        }
        return OptionalLong.empty();
    }

    /** Bytes read and written over every device of {@code io.stat} ({@code 8:0 rbytes=1 wbytes=2 ...}). */
    private OptionalLong io(Path file) {
        Optional<String> text = files.readIfPresent(file);
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        long sum = 0;
        for (String line : text.get().split("\n")) {
            for (String field : line.trim().split("\\s+")) {
                if ((field.startsWith("rbytes=") || field.startsWith("wbytes="))
                        && field.substring(7).matches("\\d+")) {
                    sum += Long.parseLong(field.substring(7));
                }
            }
        }
        return OptionalLong.of(sum);
    }
}
