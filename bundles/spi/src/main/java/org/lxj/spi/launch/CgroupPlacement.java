package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where the container's init is placed in the cgroup tree before it runs any of the container's code, as the
 * cgroup backend computed it ({@link org.lxj.spi.cgroup.CgroupBackend#placement}).
 *
 * @param cloneInto  a cgroup v2 directory the launcher opens and passes to {@code clone3} with
 *                   {@code CLONE_INTO_CGROUP}, so init is born in it; empty where that is unavailable
 * @param procsFiles {@code cgroup.procs} files the monitor writes init's pid to after the clone and before it
 *                   releases init (one per v1 hierarchy, or the v2 file when {@code clone3} is unavailable)
 */
public record CgroupPlacement(Optional<Path> cloneInto, List<Path> procsFiles) {

    /** No placement: init stays in the monitor's cgroup. */
    public static final CgroupPlacement NONE = new CgroupPlacement(Optional.empty(), List.of());

    public CgroupPlacement {
        cloneInto.ifPresent(p -> PlanChecks.absolute("cgroup directory", p));
        procsFiles = PlanChecks.absolutes("cgroup.procs file", procsFiles);
        for (Path p : procsFiles) {
            if (!p.getFileName().toString().equals("cgroup.procs")) {
                throw new PlanValidationException("cgroup.procs file", p.toString(), "must name a cgroup.procs file");
            }
        }
    }
}
