package org.lxj.core.internal.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What a launch is for, beyond the container's config: {@code lxc-start} runs the init, {@code lxc-execute}
 * runs a command under the launcher's built-in init.
 *
 * @param mode    start or execute
 * @param command the command given on the command line; empty for the configured one
 * @param uid     {@code lxc-execute -u}, overriding {@code lxc.init.uid}
 * @param gid     {@code lxc-execute -g}, overriding {@code lxc.init.gid}
 * @param hostEnv the runtime's environment, for {@code lxc.environment = NAME} pass-through entries
 */
public record LaunchRequest(Mode mode, List<String> command, OptionalLong uid, OptionalLong gid,
        Map<String, String> hostEnv) {

    /** The verbs that launch a container. */
    public enum Mode {
        /** {@code lxc-start}: {@code lxc.init.cmd} (default {@code /sbin/init}) is PID 1. */
        START,
        /** {@code lxc-execute}: the command ({@code lxc.execute.cmd} by default) runs as PID 2. */
        EXECUTE
    }

    public LaunchRequest {
        Objects.requireNonNull(mode, "mode");
        command = List.copyOf(command);
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(gid, "gid");
        hostEnv = Map.copyOf(hostEnv);
    }

    /** {@code lxc-start} of the configured init, without pass-through environment. */
    public static LaunchRequest start() {
        return new LaunchRequest(Mode.START, List.of(), OptionalLong.empty(), OptionalLong.empty(), Map.of());
    }
}
