package org.lxj.core.internal.lifecycle;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.lxj.api.ContainerState;

/**
 * Where the runtime state of containers is known: the one place the lifecycle asks "does it run?". The issue
 * that adds starting containers implements it over {@code /run/lxj/<lxcpath-id>/<name>/state.json}.
 */
public interface StateStore {

    /** The container's state now. */
    ContainerState state(Path lxcpath, String name);

    /** Its init's host PID, while it runs. */
    OptionalLong initPid(Path lxcpath, String name);
}
