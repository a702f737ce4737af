package org.lxj.api;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.lxj.api.config.ContainerConfig;
import org.osgi.annotation.versioning.ProviderType;

/** A defined container: its name, where it lives, its configuration and its current state. */
@ProviderType
public interface Container {

    /** The container's name, unique within its lxcpath. */
    String name();

    /** The lxcpath this container lives in (the parent of {@link #directory()}). */
    Path lxcpath();

    /** {@code <lxcpath>/<name>}. */
    default Path directory() {
        return lxcpath().resolve(name());
    }

    /** {@code <lxcpath>/<name>/config}. */
    default Path configFile() {
        return directory().resolve("config");
    }

    /** The parsed configuration, as it is on disk now. */
    ContainerConfig config();

    /** The current state; {@link ContainerState#STOPPED} for a container that has never run. */
    ContainerState state();

    /** The host PID of the container's init, when it runs. */
    OptionalLong initPid();
}
