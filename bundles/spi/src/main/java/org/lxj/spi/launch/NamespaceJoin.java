package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A namespace the container's init joins with {@code setns(2)} instead of creating it
 * ({@code lxc.namespace.share.*}, attach and exec). Exactly one of {@code path} and {@code pid} names the
 * target. A pid is joined through a pidfd the launcher opens itself, so a recycled pid fails instead of
 * joining a stranger; a path ({@code /proc/PID/ns/net}, a bind-mounted {@code /run/netns/x}) is opened as
 * given.
 *
 * @param namespace which namespace
 * @param path      a namespace file on the host, if the target is named by path
 * @param pid       the process whose namespace to join, or 0 when named by path
 */
public record NamespaceJoin(Namespace namespace, Optional<Path> path, int pid) {

    public NamespaceJoin {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(path, "path");
        if (path.isPresent() == (pid > 0)) {
            throw new PlanValidationException("namespace join for " + namespace.procName(),
                    path.map(Path::toString).orElse(Integer.toString(pid)), "give exactly one of a path and a pid");
        }
        if (pid < 0) {
            throw new PlanValidationException("namespace join pid", Integer.toString(pid), "must be positive");
        }
        path.ifPresent(p -> PlanChecks.absolute("namespace path", p));
    }

    /** Joins the namespace file at {@code path}. */
    public static NamespaceJoin byPath(Namespace namespace, Path path) {
        return new NamespaceJoin(namespace, Optional.of(path), 0);
    }

    /** Joins the namespace of process {@code pid}. */
    public static NamespaceJoin byPid(Namespace namespace, int pid) {
        return new NamespaceJoin(namespace, Optional.empty(), pid);
    }
}
