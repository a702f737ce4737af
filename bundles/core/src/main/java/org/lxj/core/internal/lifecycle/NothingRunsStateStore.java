package org.lxj.core.internal.lifecycle;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.lxj.api.ContainerState;

/**
 * The state store of a runtime that has no way to start a container: every defined container is
 * {@link ContainerState#STOPPED}, truthfully, because nothing in this build can make it otherwise.
 */
public final class NothingRunsStateStore implements StateStore {

    @Override
    public ContainerState state(Path lxcpath, String name) {
        return ContainerState.STOPPED;
    }

    @Override
    public OptionalLong initPid(Path lxcpath, String name) {
        return OptionalLong.empty();
    }
}
