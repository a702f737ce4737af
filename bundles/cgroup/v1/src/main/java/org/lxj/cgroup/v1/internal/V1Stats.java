package org.lxj.cgroup.v1.internal;

import org.lxj.linux.CgroupFs;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.cgroup.CgroupStats;

/** {@code lxc-info} statistics from the v1 controller files. */
final class V1Stats {
    private final CgroupFs files;

    V1Stats(CgroupFs files) {
        this.files = files;
    }

    CgroupStats of(V1CgroupBackend backend, CgroupHandle handle) {
        return new CgroupStats(number(backend, handle, "cpuacct", "cpuacct.usage"), blkio(backend, handle),
                number(backend, handle, "memory", "memory.usage_in_bytes"),
                number(backend, handle, "memory", "memory.kmem.usage_in_bytes"),
                number(backend, handle, "pids", "pids.current"));
    }

    private OptionalLong number(V1CgroupBackend backend, CgroupHandle handle, String controller, String file) {
        Optional<String> text = backend.directoryOf(handle, controller)
                .flatMap(d -> files.readIfPresent(d.resolve(file)));
        return text.map(String::trim).filter(s -> s.matches("\\d+")).map(s -> OptionalLong.of(Long.parseLong(s)))
                .orElse(OptionalLong.empty());
    }

    /** The {@code Total} line of {@code blkio.throttle.io_service_bytes}, as LXC reads it. */
    private OptionalLong blkio(V1CgroupBackend backend, CgroupHandle handle) {
        Optional<Path> dir = backend.directoryOf(handle, "blkio");
        if (dir.isEmpty()) {
            return OptionalLong.empty();
        }
        Optional<String> text = files.readIfPresent(dir.get().resolve("blkio.throttle.io_service_bytes"));
        if (text.isEmpty()) {
            return OptionalLong.empty();
        }
        for (String line : text.get().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals("Total") && f[1].matches("\\d+")) {
                return OptionalLong.of(Long.parseLong(f[1]));
            }
        }
        return OptionalLong.of(0);
    }
}
