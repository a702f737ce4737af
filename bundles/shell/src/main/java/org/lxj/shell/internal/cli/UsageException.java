package org.lxj.shell.internal.cli;

/**
 * The command line does not parse. The message is getopt's, without the program name
 * ({@code invalid option -- 'x'}); the command prefixes its name and prints its help after it.
 */
public final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
