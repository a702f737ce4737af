package org.lxj.core.internal.select;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.BackendNotFoundException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses backends of one area, always in the house order: explicit choice → {@code service.ranking} →
 * {@code detect(HostFacts)}. Type names are compared, never interpreted: no backend is special here.
 */
public final class BackendSelector<T extends Backend> {

    /** The explicit choice that means "every installed backend, best first" ({@code lxc-create -B best}). */
    public static final String BEST = "best";

    private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);

    private final String area;

    /** @param area the SPI area, as error messages name it ({@code storage}) */
    public BackendSelector(String area) {
        this.area = area;
    }

    /**
     * The backends to try, in order.
     *
     * @param installed the installed backends, best first ({@link Ranked#ORDER})
     * @param explicit  the types asked for, in order ({@code -B a,b}); {@code best} expands to every available
     *                  backend; empty asks for the single best available one
     * @param host      the host's facts; empty when they are not published, then detection is skipped and the
     *                  ranking alone decides
     * @throws BackendNotFoundException when none of the explicit types is installed (naming the first)
     * @throws UnsupportedFeatureException when nothing is installed or nothing can work on this host
     */
    public List<T> candidates(List<Ranked<T>> installed, List<String> explicit, Optional<HostFacts> host) {
        if (explicit.isEmpty()) {
            return List.of(best(installed, host));
        }
        List<T> out = new ArrayList<>();
        for (String type : explicit) {
            if (type.equals(BEST)) {
                available(installed, host).stream().filter(b -> !out.contains(b)).forEach(out::add);
            } else {
                find(installed, type).filter(b -> !out.contains(b)).ifPresent(out::add);
            }
        }
        if (out.isEmpty()) {
            String first = explicit.get(0);
            if (first.equals(BEST)) {
                throw nothingAvailable(installed);
            }
            throw new BackendNotFoundException(area, explicit.stream().filter(t -> !t.equals(BEST)).findFirst()
                    .orElse(first));
        }
        return out;
    }

    /** The installed backend of {@code type}. */
    public Optional<T> find(List<Ranked<T>> installed, String type) {
        return installed.stream().map(Ranked::backend).filter(b -> b.type().equals(type)).findFirst();
    }

    /** The highest-ranked backend that can work on this host. */
    public T best(List<Ranked<T>> installed, Optional<HostFacts> host) {
        List<T> ok = available(installed, host);
        if (ok.isEmpty()) {
            throw nothingAvailable(installed);
        }
        return ok.get(0);
    }

    private List<T> available(List<Ranked<T>> installed, Optional<HostFacts> host) {
        List<T> ok = new ArrayList<>();
        for (Ranked<T> r : installed) {
            if (host.isEmpty()) {
                ok.add(r.backend());
                continue;
            }
            Detection d = r.backend().detect(host.get());
            if (d.available()) {
                ok.add(r.backend());
            } else {
                LOG.debug("{} backend \"{}\" is unavailable: {}", area, r.backend().type(), d.reason());
            }
        }
        return ok;
    }

    private UnsupportedFeatureException nothingAvailable(List<Ranked<T>> installed) {
        if (installed.isEmpty()) {
            return new UnsupportedFeatureException("No " + area + " backend is installed");
        }
        return new UnsupportedFeatureException("No installed " + area + " backend can work on this host ("
                + String.join(", ", installed.stream().map(r -> r.backend().type()).toList()) + ")");
    }
}
