package org.lxj.security.nop.internal;

import java.util.List;
import java.util.Optional;

import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.lsm.LsmBackend;
import org.lxj.spi.lsm.LsmProfile;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code nop} LSM backend, LXC's nop driver: always available, ranked lowest ({@link Integer#MIN_VALUE}), so
 * core selects it only when no real LSM backend is available, and it confines nothing: no profile, no labels,
 * nothing to load or unload. It claims no keys ({@link #requested} is false), so an {@code lxc.apparmor.*} or
 * {@code lxc.selinux.*} key still selects its own backend, which refuses the start where its LSM is absent.
 */
@Component(service = LsmBackend.class,
        property = {Backend.TYPE_PROPERTY + "=" + NopLsmBackend.TYPE, "service.ranking:Integer=" + NopLsmBackend.RANKING})
public final class NopLsmBackend implements LsmBackend {

    static final String TYPE = "nop";
    static final int RANKING = Integer.MIN_VALUE;

    @Activate
    public NopLsmBackend() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        return Detection.available("no LSM confinement (active LSMs: " + String.join(",", host.lsms()) + ")");
    }

    @Override
    public Optional<LsmProfile> profileFor(ContainerContext context) {
        return Optional.empty();
    }

    @Override
    public void prepare(ContainerContext context, LsmProfile profile) {
        // Nothing is loaded for the nop backend: profileFor never yields a profile.
    }

    @Override
    public List<LsmLabel> labels(LsmProfile profile) {
        return List.of();
    }

    @Override
    public void cleanup(ContainerContext context, LsmProfile profile) {
        // Nothing was loaded by prepare.
    }
}
