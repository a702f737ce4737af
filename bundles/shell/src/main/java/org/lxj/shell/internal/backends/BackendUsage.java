package org.lxj.shell.internal.backends;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.lxj.api.Container;
import org.lxj.api.ContainerRuntime;
import org.lxj.spi.storage.StorageBackend;

/**
 * Which active containers use a storage backend: those whose {@code lxc.rootfs.path} it owns. A stopped
 * container holds nothing of its backend, so it does not count (it needs the backend again to start or
 * to be destroyed).
 */
public final class BackendUsage {
    private final ContainerRuntime runtime;

    public BackendUsage(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /** The lxcpaths to look in: the system's default one and {@code extra}, without repeats. */
    public List<Path> lxcpaths(Collection<Path> extra) {
        Set<Path> all = new LinkedHashSet<>();
        all.add(runtime.systemConfig().lxcpath());
        extra.forEach(p -> all.add(p.toAbsolutePath().normalize()));
        return List.copyOf(all);
    }

    /** The active containers of {@code lxcpaths} whose rootfs {@code backend} owns, as {@code NAME (LXCPATH)}. */
    public List<String> users(StorageBackend backend, List<Path> lxcpaths) {
        List<String> users = new ArrayList<>();
        for (Path lxcpath : lxcpaths) {
            for (Container c : runtime.list(lxcpath)) {
                if (c.state().isActive() && c.config().rootfsPath().filter(backend::owns).isPresent()) {
                    users.add(c.name() + " (" + lxcpath + ")");
                }
            }
        }
        return users;
    }
}
