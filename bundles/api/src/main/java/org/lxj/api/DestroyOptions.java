package org.lxj.api;

/**
 * How {@code lxc-destroy} goes about it.
 *
 * @param force     stop a running container first ({@code -f}); without it a running container is refused
 * @param snapshots destroy the container's snapshots too ({@code -s})
 */
public record DestroyOptions(boolean force, boolean snapshots) {
    public static final DestroyOptions DEFAULT = new DestroyOptions(false, false);
}
