package org.lxj.security.seccomp.internal;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One rule of a policy.
 *
 * @param syscall    the syscall's name, or its number in decimal for a v1 rule
 * @param number     the native syscall number of a v1 rule; empty for rules by name
 * @param action     what a matching call gets
 * @param conditions the argument comparisons, all of which must hold (at most 6)
 * @param arch       the architecture section the rule is in ({@code x86_64}, {@code i386}); empty for every
 *                   architecture of the filter
 * @param line       the 1-based line in the policy, 0 for JSON policies
 */
record Rule(String syscall, OptionalInt number, Action action, List<ArgCondition> conditions, Optional<String> arch,
        int line) {

    Rule {
        conditions = List.copyOf(conditions);
        if (conditions.size() > 6) {
            throw new IllegalArgumentException("More than 6 argument filters");
        }
    }
}
