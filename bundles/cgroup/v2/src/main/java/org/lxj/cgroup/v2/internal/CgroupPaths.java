package org.lxj.cgroup.v2.internal;

import org.lxj.linux.CgroupFs;
import java.nio.file.Path;
import java.util.Arrays;

import org.lxj.spi.backend.BackendException;

/** Cgroup paths relative to a hierarchy root, and where this process sits ({@code lxc.cgroup.relative}). */
final class CgroupPaths {
    private CgroupPaths() {
    }

    /**
     * {@code path} without leading or trailing slashes, refused when it would leave the hierarchy or is empty.
     */
    static String clean(String path) {
        String p = path.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || Arrays.asList(p.split("/")).stream().anyMatch(s -> s.isEmpty() || s.equals(".")
                || s.equals(".."))) {
            throw new BackendException("Invalid cgroup path \"" + path + "\": expected a relative path such as "
                    + "lxc.payload.c1 without \".\" or \"..\" parts");
        }
        return p;
    }

    /** {@code base/path}, where an empty base is the hierarchy root. */
    static String join(String base, String path) {
        return base.isEmpty() ? path : base + "/" + path;
    }

    /** This process's cgroup in the cgroup2 hierarchy, relative to its root, from the {@code 0::} line. */
    static String ownCgroup(CgroupFs files, Path selfCgroup) {
        for (String line : files.read(selfCgroup).split("\n")) {
            if (line.startsWith("0::")) {
                String p = line.substring(3).trim();
                while (p.startsWith("/")) {
                    p = p.substring(1);
                }
                return p;
            }
        }
        throw new BackendException("Failed to find this process's cgroup2 path in \"" + selfCgroup + "\"");
    }
}
