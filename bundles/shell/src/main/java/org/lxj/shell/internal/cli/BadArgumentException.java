package org.lxj.shell.internal.cli;

/**
 * An option's argument is malformed ({@code -t 5x}, {@code -s KEY} without a value). LXC's tools reject these
 * in their option callbacks and print only {@code lxc-TOOL: could not parse command line}, with no help text;
 * the message here says what was wrong, for the log.
 */
public final class BadArgumentException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadArgumentException(String message) {
        super(message);
    }
}
