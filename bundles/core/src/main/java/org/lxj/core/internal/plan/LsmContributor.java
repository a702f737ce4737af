package org.lxj.core.internal.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.lsm.LsmBackend;
import org.lxj.spi.lsm.LsmProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's contributor for the installed {@link LsmBackend}s, at {@link LaunchContributor#ORDER_LSM}: one backend
 * per container, the first whose keys the config sets ({@link LsmBackend#requested}), else the best available
 * one; its profile's labels go into the plan. The backend itself refuses a profile its LSM cannot apply here.
 * Present only when some LSM backend is installed, so {@link KeyGate} refuses LSM keys otherwise.
 */
public final class LsmContributor implements LaunchContributor {
    private static final Logger LOG = LoggerFactory.getLogger(LsmContributor.class);

    /** The file in the run directory naming the LSM backend that prepared the container's start. */
    public static final String RECORD = "lsm";

    /** The backend chosen for a container and the profile it resolved. */
    public record Choice(LsmBackend backend, LsmProfile profile) {
    }

    private final List<LsmBackend> backends;

    /** @param backends the installed LSM backends, best first ({@code service.ranking}) */
    public LsmContributor(List<LsmBackend> backends) {
        this.backends = List.copyOf(backends);
    }

    /** {@code installed} plus a contributor for {@code backends} when there are any. */
    public static List<LaunchContributor> with(List<LaunchContributor> installed, List<LsmBackend> backends) {
        if (backends.isEmpty()) {
            return installed;
        }
        List<LaunchContributor> all = new ArrayList<>(installed);
        all.add(new LsmContributor(backends));
        return all;
    }

    @Override
    public int order() {
        return ORDER_LSM;
    }

    /**
     * The backend and profile for {@code context}; empty when no LSM applies (none requested and none available,
     * or the profile keeps the runtime's label).
     *
     * @throws org.lxj.api.UnsupportedFeatureException when the config asks for an LSM the host does not have
     */
    public Optional<Choice> choose(ContainerContext context) {
        return select(context).flatMap(b -> b.profileFor(context).map(p -> new Choice(b, p)));
    }

    /**
     * The LSM driver for {@code context}: the backend its keys request, else the best available one by ranking
     * (the nop backend where no real LSM is available); empty when none is installed that is available.
     *
     * @throws org.lxj.api.UnsupportedFeatureException when the config sets an LSM key no installed backend handles
     */
    public Optional<LsmBackend> select(ContainerContext context) {
        ContainerConfig config = context.config();
        Optional<LsmBackend> requested = backends.stream().filter(b -> b.requested(config)).findFirst();
        if (requested.isEmpty()) {
            unclaimed(config);
        }
        return requested.or(() -> backends.stream().filter(b -> b.detect(context.host()).available()).findFirst());
    }

    /** Refuses an LSM key no installed backend claims (an AppArmor key with only SELinux installed). */
    private void unclaimed(ContainerConfig config) {
        for (ConfigEntry e : config.entries()) {
            String value = e.value().trim();
            if (!value.isEmpty() && KeyGate.mechanism(e.key(), value).filter(m -> m == Mechanism.LSM).isPresent()) {
                throw new UnsupportedFeatureException("Config key \"" + e.key() + "\" needs an LSM backend that "
                        + "handles it, and none of the installed ones ("
                        + String.join(", ", backends.stream().map(LsmBackend::type).toList()) + ") does");
            }
        }
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        Optional<LsmBackend> backend = select(context);
        if (backend.isEmpty()) {
            LOG.info("{}: LSM driver none (no installed LSM backend is available); the container keeps the "
                    + "runtime's label", context.name());
            return;
        }
        LsmBackend b = backend.get();
        Optional<LsmProfile> profile = b.profileFor(context);
        LOG.info("{}: LSM driver {} ({}), profile {}", context.name(), b.type(), b.detect(context.host()).reason(),
                profile.map(p -> "\"" + p.label() + "\"").orElse("none"));
        profile.ifPresent(p -> b.labels(context, p).forEach(plan::lsmLabel));
        // SELinux's context="..." on the tmpfs, devpts and mqueue mounts the container gets
        profile.flatMap(b::mountOption).ifPresent(plan::labelMounts);
    }

    /**
     * The host-side half: loads a generated profile before the launch.
     *
     * @return the undo, which unloads it
     */
    public Optional<Runnable> prepare(ContainerContext context) {
        return choose(context).map(c -> {
            c.backend().prepare(context, c.profile());
            Path record = context.runDir().resolve(RECORD);
            try {
                Files.writeString(record, c.backend().type() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                c.backend().cleanup(context, c.profile());
                throw new LxjException("Failed to write \"" + record + "\": " + e.getMessage(), e);
            }
            return () -> {
                try {
                    c.backend().cleanup(context, c.profile());
                } finally {
                    deleteRecord(context.name(), record);
                }
            };
        });
    }

    /** The type of the LSM backend whose {@code prepare} ran for the container of {@code runDir}, if any. */
    static Optional<String> recorded(Path runDir) {
        try {
            return Optional.of(Files.readString(runDir.resolve(RECORD), StandardCharsets.UTF_8).strip())
                    .filter(t -> !t.isEmpty());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Ignoring unreadable \"{}\": {}", runDir.resolve(RECORD), e.getMessage());
            return Optional.empty();
        }
    }

    /** Whether the backend that prepared the container of {@code runDir} is among {@code backends} (or none did). */
    public static boolean canRelease(Path runDir, List<LsmBackend> backends) {
        return recorded(runDir).map(t -> backends.stream().anyMatch(b -> b.type().equals(t))).orElse(true);
    }

    /**
     * After the stop (normal, killed, or a dead monitor found by a later runtime): lets the backend that prepared
     * the container undo it ({@link LsmBackend#release}); failures are logged, never thrown.
     */
    public static void release(String name, Path runDir, List<LsmBackend> backends) {
        Optional<String> type = recorded(runDir);
        if (type.isEmpty()) {
            return;
        }
        Optional<LsmBackend> backend = backends.stream().filter(b -> b.type().equals(type.get())).findFirst();
        if (backend.isEmpty()) {
            LOG.warn("{}: LSM backend \"{}\" is not installed; what it prepared stays on the host", name,
                    type.get());
        } else {
            try {
                backend.get().release(name, runDir);
            } catch (RuntimeException e) {
                LOG.warn("{}: failed to release LSM \"{}\": {}", name, type.get(), e.getMessage());
            }
        }
        deleteRecord(name, runDir.resolve(RECORD));
    }

    private static void deleteRecord(String name, Path record) {
        try {
            Files.deleteIfExists(record);
        } catch (IOException e) {
            LOG.warn("{}: failed to remove \"{}\": {}", name, record, e.getMessage());
        }
    }
}
