package org.lxj.api.event;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalInt;

import org.lxj.api.ContainerState;

/**
 * Something that happened to a container.
 *
 * @param lxcpath the container's lxcpath
 * @param name    the container's name
 * @param kind    what happened
 * @param state   the state after the event
 * @param exitStatus the init's exit status, for {@link Kind#EXITED}
 * @param time    when it happened
 */
public record ContainerEvent(Path lxcpath, String name, Kind kind, ContainerState state, OptionalInt exitStatus,
        Instant time) {

    /** The kinds of events. */
    public enum Kind { CREATED, STATE, EXITED, DESTROYED }

    public ContainerEvent {
        Objects.requireNonNull(lxcpath, "lxcpath");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(exitStatus, "exitStatus");
        Objects.requireNonNull(time, "time");
    }
}
