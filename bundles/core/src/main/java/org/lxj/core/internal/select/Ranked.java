package org.lxj.core.internal.select;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.lxj.spi.backend.Backend;

/**
 * A backend service with what orders it: {@code service.ranking} (higher first), then {@code service.id}
 * (older first), as the framework orders services.
 *
 * @param backend   the service
 * @param ranking   its {@code service.ranking}, 0 when unset
 * @param serviceId its {@code service.id}
 */
public record Ranked<T extends Backend>(T backend, int ranking, long serviceId) {

    public static final Comparator<Ranked<?>> ORDER = Comparator.<Ranked<?>>comparingInt(r -> -r.ranking())
            .thenComparingLong(Ranked::serviceId);

    public Ranked {
        Objects.requireNonNull(backend, "backend");
    }

    /** Orders services as injected by DS (service properties with the service), best first. */
    public static <T extends Backend> List<Ranked<T>> of(List<Map.Entry<Map<String, Object>, T>> services) {
        return services.stream()
                .map(e -> new Ranked<>(e.getValue(), intProperty(e.getKey().get("service.ranking")),
                        longProperty(e.getKey().get("service.id"))))
                .sorted(ORDER)
                .toList();
    }

    private static int intProperty(Object v) {
        return v instanceof Integer i ? i : 0;
    }

    private static long longProperty(Object v) {
        return v instanceof Number n ? n.longValue() : Long.MAX_VALUE;
    }
}
