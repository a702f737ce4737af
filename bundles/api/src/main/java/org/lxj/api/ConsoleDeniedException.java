package org.lxj.api;

/**
 * No tty is free for a new viewer, or the one asked for is taken or does not exist: LXC's {@code tty service
 * denied}.
 *
 * @since 1.6
 */
public class ConsoleDeniedException extends LxjException {
    private static final long serialVersionUID = 1L;

    public ConsoleDeniedException(String message) {
        super(message);
    }
}
