package org.lxj.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What {@code lxc-unshare} asks for: a command in new namespaces of the host, without a container.
 *
 * @param namespaces LXC's names of the namespaces to create ({@code -s}): {@code MOUNT}, {@code PID},
 *                   {@code UTSNAME}, {@code IPC}, {@code USER}, {@code NETWORK}
 * @param uid        the user id the command runs as ({@code -u}); empty keeps the caller's
 * @param hostname   the hostname in the new UTS namespace ({@code -H})
 * @param remount    mount a fresh {@code /proc}, {@code /dev/shm} and {@code /dev/mqueue} ({@code -M})
 * @param daemonize  return once the command runs, without waiting for it ({@code -d})
 * @param command    the command and its arguments
 * @since 1.3
 */
public record UnshareOptions(Set<String> namespaces, OptionalLong uid, Optional<String> hostname, boolean remount,
        boolean daemonize, List<String> command) {

    public UnshareOptions {
        namespaces = Set.copyOf(namespaces);
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(hostname, "hostname");
        command = List.copyOf(command);
    }
}
