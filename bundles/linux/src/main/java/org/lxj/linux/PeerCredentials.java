package org.lxj.linux;

/**
 * The credentials of the process at the other end of a Unix socket, as the kernel recorded them when it
 * connected ({@code SO_PEERCRED}).
 *
 * @param pid the peer's process id
 * @param uid the peer's effective user id
 * @param gid the peer's effective group id
 * @since 1.1
 */
public record PeerCredentials(int pid, int uid, int gid) {
}
