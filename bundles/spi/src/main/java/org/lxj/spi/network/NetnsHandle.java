package org.lxj.spi.network;

import java.nio.file.Path;
import java.util.function.Supplier;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A way into a container's network namespace, provided by core. A JVM thread can {@code setns} into a
 * network namespace; the handle does that on a dedicated thread it owns, so no pooled thread is ever left in
 * the container's namespace.
 */
@ProviderType
public interface NetnsHandle {

    /** The container's init pid on the host. */
    int pid();

    /** The namespace file ({@code /proc/<pid>/ns/net}), e.g. as the target of a netlink {@code IFLA_NET_NS_FD}. */
    Path namespaceFile();

    /**
     * Runs {@code task} on a thread that is in the container's network namespace, waits for it and returns its
     * result. An exception thrown by the task is rethrown unchanged.
     *
     * @throws org.lxj.spi.backend.BackendException when the namespace cannot be entered (the container died)
     */
    <T> T call(Supplier<T> task);

    /** Like {@link #call} for a task without a result. */
    default void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }
}
