package org.lxj.control.internal;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Turns a command argument into a {@link Bundle} for Gogo's coercion, so {@code felix:stop 12}, {@code start 12},
 * {@code inspect cap service 12} and the like work in every runtime. Gogo's own converter for bundles comes with
 * the JLine shell bundle, which only the interactive shell starts (start level 3): without this one, the daemon
 * and one-command mode ({@code bin/lxj felix:stop 12}) answer {@code Cannot coerce stop(String) to any of
 * [(boolean, Bundle[])]}. An argument converts when it is a bundle id (a number) or a symbolic name (the highest
 * version installed); anything else is left to other converters.
 */
@Component(service = Converter.class)
public final class BundleConverter implements Converter {
    private final BundleContext context;

    @Activate
    public BundleConverter(BundleContext context) {
        this.context = context;
    }

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        if (desiredType != Bundle.class || in == null) {
            return null;
        }
        if (in instanceof Number n) {
            return context.getBundle(n.longValue());
        }
        if (!(in instanceof CharSequence text)) {
            return null;
        }
        return bundle(text.toString().trim()).orElse(null);
    }

    private Optional<Bundle> bundle(String s) {
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (s.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.ofNullable(context.getBundle(Long.parseLong(s)));
            } catch (NumberFormatException e) {
                return Optional.empty();                   // more digits than a long holds
            }
        }
        return Arrays.stream(context.getBundles())
                .filter(b -> s.equals(b.getSymbolicName()))
                .max(Comparator.comparing(Bundle::getVersion));
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return null;                                        // formatting stays Gogo's
    }
}
