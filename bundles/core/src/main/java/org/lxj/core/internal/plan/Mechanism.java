package org.lxj.core.internal.plan;

import java.util.Collection;

import org.lxj.spi.launch.LaunchContributor;

/**
 * The mechanisms a container config can ask for that core leaves to contributor bundles, each recognised by the
 * {@link LaunchContributor#order()} band its contributors run in. A contributor in the band means the mechanism
 * is installed; core then leaves the keys to it.
 */
enum Mechanism {
    NAMESPACE("a namespace backend", LaunchContributor.ORDER_NAMESPACE, LaunchContributor.ORDER_CGROUP),
    CGROUP("a cgroup backend", LaunchContributor.ORDER_CGROUP, LaunchContributor.ORDER_ROOTFS),
    CAPABILITY("a capability backend", LaunchContributor.ORDER_SECURITY, LaunchContributor.ORDER_LSM),
    LSM("an LSM backend", LaunchContributor.ORDER_LSM, LaunchContributor.ORDER_LANDLOCK),
    LANDLOCK("a Landlock backend", LaunchContributor.ORDER_LANDLOCK, LaunchContributor.ORDER_SECCOMP),
    SECCOMP("a seccomp backend", LaunchContributor.ORDER_SECCOMP, Integer.MAX_VALUE);

    private final String description;
    private final int from;
    private final int until;

    Mechanism(String description, int from, int until) {
        this.description = description;
        this.from = from;
        this.until = until;
    }

    /** How error messages name it: {@code a capability backend}. */
    String description() {
        return description;
    }

    /** Whether a contributor running at {@code order} provides this mechanism. */
    boolean provides(int order) {
        return order >= from && order < until;
    }

    /** Whether any of {@code contributors} provides this mechanism. */
    boolean installedIn(Collection<? extends LaunchContributor> contributors) {
        return contributors.stream().anyMatch(c -> provides(c.order()));
    }
}
