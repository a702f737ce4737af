package org.lxj.api;

/**
 * The states of a container, with LXC's names (as {@code lxc-info -s} and {@code lxc-wait -s} spell them).
 */
public enum ContainerState {
    STOPPED, STARTING, RUNNING, STOPPING, ABORTING, FREEZING, FROZEN, THAWED;

    /** Whether a container in this state has processes that could run. */
    public boolean isActive() {
        return this != STOPPED;
    }

    /**
     * Parses a state name as LXC's tools accept it, case-insensitively.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static ContainerState parse(String name) {
        for (ContainerState s : values()) {
            if (s.name().equalsIgnoreCase(name.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("Invalid state \"" + name + "\": expected one of "
                + java.util.Arrays.toString(values()));
    }
}
