package org.lxj.linux;

/**
 * Constants of the socket calls: address families, socket types, message flags and {@code shutdown(2)}
 * modes (generic Linux values).
 *
 * @since 1.1
 */
public final class SocketFlags {
    public static final int AF_UNIX = 1;

    public static final int SOCK_STREAM = 1;
    public static final int SOCK_SEQPACKET = 5;
    public static final int SOCK_NONBLOCK = 04000;
    public static final int SOCK_CLOEXEC = 02000000;

    public static final int MSG_TRUNC = 0x20;
    public static final int MSG_CTRUNC = 0x08;
    public static final int MSG_NOSIGNAL = 0x4000;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;

    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;

    /** The longest path a {@code sockaddr_un} holds, without its terminating NUL. */
    public static final int UNIX_PATH_MAX = 107;

    private SocketFlags() {
    }
}
