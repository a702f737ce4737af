package org.lxj.shell.internal.cli;

import java.util.Objects;

/**
 * One option a command accepts, as {@code getopt_long} describes it.
 *
 * @param key       the name the parsed result is looked up by
 * @param shortName the short letter, or {@code 0} for a long-only option
 * @param longName  the long name without dashes, or null for a short-only option
 * @param argument  the argument's name as help prints it ({@code NAME}), or null for a flag
 * @param optional  whether the argument may be left out ({@code -eCAP} or {@code -e}, {@code --x=V} or
 *                  {@code --x}); an optional argument is only ever taken attached, as getopt takes it
 */
public record Option(String key, char shortName, String longName, String argument, boolean optional) {

    public Option(String key, char shortName, String longName, String argument) {
        this(key, shortName, longName, argument, false);
    }

    public Option {
        Objects.requireNonNull(key, "key");
        if (shortName == 0 && longName == null) {
            throw new IllegalArgumentException("Option \"" + key + "\" has neither a short nor a long name");
        }
    }

    /** A flag with a short and (optionally) a long name. */
    public static Option flag(char shortName, String longName) {
        return new Option(longName != null ? longName : String.valueOf(shortName), shortName, longName, null);
    }

    /** A long-only flag. */
    public static Option flag(String longName) {
        return new Option(longName, (char) 0, longName, null);
    }

    /** An option taking an argument, with a short and (optionally) a long name. */
    public static Option withArgument(char shortName, String longName, String argument) {
        return new Option(longName != null ? longName : String.valueOf(shortName), shortName, longName, argument);
    }

    /** A long-only option taking an argument. */
    public static Option withArgument(String longName, String argument) {
        return new Option(longName, (char) 0, longName, argument);
    }

    /** An option whose argument may be left out, with a short and a long name. */
    public static Option withOptionalArgument(char shortName, String longName, String argument) {
        return new Option(longName, shortName, longName, argument, true);
    }

    /** The same option registered under another key (for aliases such as {@code -?} for {@code --help}). */
    public Option as(String otherKey) {
        return new Option(otherKey, shortName, longName, argument, optional);
    }

    public boolean takesArgument() {
        return argument != null;
    }
}
