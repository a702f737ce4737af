package org.lxj.spi.launch;

import java.nio.file.Path;

/**
 * A symbolic link the launcher creates inside the container after the mounts, such as
 * {@code /dev/fd -> /proc/self/fd} or {@code /dev/ptmx -> pts/ptmx}. An existing link with the same target
 * is left as it is; anything else at {@code link} fails the step.
 *
 * @param link   where the link goes, an absolute path inside the container
 * @param target what it points to, stored verbatim (relative or absolute)
 */
public record Symlink(Path link, String target) {
    public Symlink {
        PlanChecks.absolute("symlink path", link);
        PlanChecks.nonEmpty("symlink target of " + link, target);
    }
}
