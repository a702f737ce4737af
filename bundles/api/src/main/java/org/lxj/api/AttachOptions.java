package org.lxj.api;

import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What {@code lxc-attach} asks for.
 *
 * @param command      the command; empty runs the user's login shell in the container
 * @param namespaces   namespaces to join ({@code -s}: MOUNT PID UTSNAME IPC USER NETWORK CGROUP); empty for all
 * @param elevated     privileges not to drop ({@code -e}: CAP CGROUP LSM, or ALL)
 * @param remountSys   remount /sys and /proc ({@code -R})
 * @param clearEnv     start from an empty environment ({@code --clear-env}) instead of keeping it
 * @param setVars      {@code -v NAME=VALUE} variables to set
 * @param keepVars     {@code --keep-var NAME} variables kept with {@code --clear-env}
 * @param uid          run as this uid ({@code -u})
 * @param gid          run as this gid ({@code -g})
 * @since 1.2
 */
public record AttachOptions(List<String> command, Set<String> namespaces, Set<String> elevated, boolean remountSys,
        boolean clearEnv, List<String> setVars, List<String> keepVars, OptionalInt uid, OptionalInt gid) {
    public AttachOptions {
        command = List.copyOf(command);
        namespaces = Set.copyOf(namespaces);
        elevated = Set.copyOf(elevated);
        setVars = List.copyOf(setVars);
        keepVars = List.copyOf(keepVars);
    }
}
