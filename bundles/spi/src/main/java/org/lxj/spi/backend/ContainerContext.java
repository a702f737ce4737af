package org.lxj.spi.backend;

import java.nio.file.Path;
import java.util.Objects;

import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.host.HostFacts;

/**
 * The container a backend is asked to act for: who it is, where it lives, its validated configuration
 * and the host it runs on. Core builds one per operation (start, attach, snapshot) and hands the same
 * instance to every backend taking part, so backends never read the config file themselves.
 *
 * @param name    the container's name
 * @param lxcpath the directory it lives in ({@code -P})
 * @param config  its parsed configuration, with any {@code lxc-start -s KEY=VAL} overrides applied
 * @param runDir  its run directory ({@code /run/lxj/<lxcpath-id>/<name>}), which exists during the operation;
 *                backends may keep small per-run files there and must remove them in their cleanup verb
 * @param rootfs  the mounted rootfs directory the container's {@code /} will be
 *                ({@link org.lxj.spi.storage.MountedRootfs#path()}), or {@code /} for a container without
 *                {@code lxc.rootfs.path}
 * @param host    the host's facts, as probed at startup
 */
public record ContainerContext(String name, Path lxcpath, ContainerConfig config, Path runDir, Path rootfs,
        HostFacts host) {

    public ContainerContext {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lxcpath, "lxcpath");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(host, "host");
    }

    /** {@code <lxcpath>/<name>}: where the container's config, rootfs and snapshots live. */
    public Path containerDir() {
        return lxcpath.resolve(name);
    }
}
