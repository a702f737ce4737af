package org.lxj.spi.backend;

import org.lxj.spi.host.HostFacts;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What every backend service has: the type users name it by, and a probe that says whether it can
 * work on this host. Register implementations as DS components; the service property
 * {@value #TYPE_PROPERTY} must equal {@link #type()}, and {@code service.ranking} orders backends of
 * one area when the user names none.
 * <p>
 * Selection in core is always: explicit configuration (a {@code type:} prefix, {@code -B}) →
 * {@code service.ranking} → {@link #detect(HostFacts)}. Core never tests type names.
 */
@ConsumerType
public interface Backend {

    /** The service property carrying {@link #type()}, so selection can filter without activating. */
    String TYPE_PROPERTY = "lxj.backend.type";

    /** The name users select this backend by: {@code dir}, {@code btrfs}, {@code v2}, ... Lower case. */
    String type();

    /**
     * Whether this backend can work on this host, and why not. Called at selection time; must be cheap
     * (no process spawns) and must not change the host.
     */
    default Detection detect(HostFacts host) {
        return Detection.available("always available");
    }
}
