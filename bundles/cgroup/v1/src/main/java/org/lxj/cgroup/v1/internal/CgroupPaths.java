package org.lxj.cgroup.v1.internal;

import org.lxj.linux.CgroupFs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import org.lxj.spi.backend.BackendException;
import org.lxj.spi.host.CgroupHierarchy;

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

    /** This process's cgroup in hierarchy {@code h}, relative to its root, from {@code /proc/self/cgroup}. */
    static String ownCgroup(CgroupFs files, Path selfCgroup, CgroupHierarchy h) {
        Set<String> wanted = new HashSet<>(h.controllers());
        for (String line : files.read(selfCgroup).split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3 || f[1].isEmpty()) {
                continue;
            }
            if (new HashSet<>(Arrays.asList(f[1].split(","))).equals(wanted)) {
                String p = f[2].trim();
                while (p.startsWith("/")) {
                    p = p.substring(1);
                }
                return p;
            }
        }
        throw new BackendException("Failed to find this process's cgroup for " + h.controllers() + " in \""
                + selfCgroup + "\"");
    }
}
