package org.lxj.security.seccomp.internal;

import java.util.List;
import java.util.Set;

import org.lxj.spi.launch.SeccompFilterFlag;

/**
 * A parsed policy in one form for every source format.
 *
 * @param defaultAction what calls no rule matches get
 * @param rules         the rules, in file order
 * @param architectures the architectures the policy itself names (OCI {@code architectures}, as audit names
 *                      {@code x86_64}, {@code i386}); empty when the request's architectures apply
 * @param flags         the load flags the policy asks for (OCI {@code flags})
 * @param format        how the source was written, for messages: {@code LXC v1}, {@code LXC v2}, {@code OCI}
 */
record Policy(Action defaultAction, List<Rule> rules, Set<String> architectures, Set<SeccompFilterFlag> flags,
        String format) {

    Policy {
        rules = List.copyOf(rules);
        architectures = Set.copyOf(architectures);
        flags = Set.copyOf(flags);
    }

    /** Whether any rule (or the default) notifies a user-space supervisor. */
    boolean notifies() {
        return defaultAction.kind() == Action.Kind.NOTIFY
                || rules.stream().anyMatch(r -> r.action().kind() == Action.Kind.NOTIFY);
    }
}
