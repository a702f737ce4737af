package org.lxj.shell.internal.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of parsing: each option occurrence in command-line order, the positional arguments before
 * {@code --} and the ones after it.
 */
public final class ParsedArgs {

    private final List<Map.Entry<String, String>> occurrences;
    private final List<String> positionals;
    private final List<String> afterDashes;

    ParsedArgs(List<Map.Entry<String, String>> occurrences, List<String> positionals, List<String> afterDashes) {
        this.occurrences = List.copyOf(occurrences);
        this.positionals = List.copyOf(positionals);
        this.afterDashes = List.copyOf(afterDashes);
    }

    /** Whether the option was given at least once. */
    public boolean has(String key) {
        return occurrences.stream().anyMatch(e -> e.getKey().equals(key));
    }

    /** The argument of the option's last occurrence (getopt's "last one wins"). */
    public Optional<String> last(String key) {
        String value = null;
        for (Map.Entry<String, String> e : occurrences) {
            if (e.getKey().equals(key)) {
                value = e.getValue();
            }
        }
        return Optional.ofNullable(value);
    }

    /** The arguments of every occurrence, in order (for repeatable options such as {@code -c KEY}). */
    public List<String> all(String key) {
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> e : occurrences) {
            if (e.getKey().equals(key)) {
                values.add(e.getValue());
            }
        }
        return values;
    }

    /**
     * Which of {@code keys} was given last, for options that undo each other ({@code -d}/{@code -F},
     * {@code --keep-env}/{@code --clear-env}): the last one on the command line wins, as in LXC.
     */
    public Optional<String> lastOf(String... keys) {
        List<String> wanted = List.of(keys);
        String winner = null;
        for (Map.Entry<String, String> e : occurrences) {
            if (wanted.contains(e.getKey())) {
                winner = e.getKey();
            }
        }
        return Optional.ofNullable(winner);
    }

    /** Non-option arguments before {@code --}, in order. */
    public List<String> positionals() {
        return positionals;
    }

    /** Arguments after {@code --}, untouched. */
    public List<String> afterDashes() {
        return afterDashes;
    }
}
