package org.lxj.spi.network;

import java.util.Objects;

/**
 * A network interface a backend prepared on the host for a container. Core keeps it in {@code state.json} to
 * configure, report and tear it down, also after a runtime restart.
 *
 * @param index         the {@code N} of {@code lxc.net.N}
 * @param type          the backend type that prepared it
 * @param hostInterface the host-side interface that stays in the host ({@code veth} peer), empty if none
 * @param transitName   the interface's name on the host before it moves into the container, empty if none
 * @param containerName the interface's final name inside the container ({@code eth0}), empty if none
 */
public record PreparedNic(int index, String type, String hostInterface, String transitName, String containerName) {
    public PreparedNic {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(hostInterface, "hostInterface");
        Objects.requireNonNull(transitName, "transitName");
        Objects.requireNonNull(containerName, "containerName");
    }
}
