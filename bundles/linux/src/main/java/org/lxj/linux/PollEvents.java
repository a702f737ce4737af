package org.lxj.linux;

/**
 * The {@code poll(2)} event bits of {@link Syscalls#poll}.
 *
 * @since 1.4
 */
public final class PollEvents {
    /** Data to read (or the end of file). */
    public static final short POLLIN = 0x001;
    /** Room to write. */
    public static final short POLLOUT = 0x004;
    /** An error condition (reported whether asked for or not). */
    public static final short POLLERR = 0x008;
    /** Hung up: the other end is closed (reported whether asked for or not). */
    public static final short POLLHUP = 0x010;
    /** Not an open fd (reported whether asked for or not). */
    public static final short POLLNVAL = 0x020;

    private PollEvents() {
    }
}
