package org.lxj.security.apparmor.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.lsm.LsmBackend;
import org.lxj.spi.lsm.LsmProfile;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code apparmor} LSM backend. {@code lxc.apparmor.profile} is a profile name, {@code unconfined},
 * {@code unchanged} (the container keeps the runtime's label) or {@code generated} (this backend writes the
 * container's profile, {@link GeneratedProfile}, and loads it with {@code apparmor_parser} before the start);
 * unset it is {@code generated} where AppArmor is enabled. The label is applied as the exec label, so it
 * takes effect at the container's {@code execve}. On a host without AppArmor a requested profile fails the
 * start, unless it is {@code unconfined} or {@code unchanged}, or {@code lxc.apparmor.allow_incomplete = 1}
 * marks it optional.
 */
@Component(service = LsmBackend.class, property = Backend.TYPE_PROPERTY + "=" + AppArmorBackend.TYPE)
public final class AppArmorBackend implements LsmBackend {

    static final String TYPE = "apparmor";
    static final String PROFILE = "lxc.apparmor.profile";
    static final String NESTING = "lxc.apparmor.allow_nesting";
    static final String RAW = "lxc.apparmor.raw";
    static final String INCOMPLETE = "lxc.apparmor.allow_incomplete";
    static final String GENERATED = "generated";
    static final String UNCONFINED = "unconfined";
    static final String UNCHANGED = "unchanged";
    static final Path SECURITYFS = Path.of("/sys/kernel/security/apparmor");
    /** Where generated profiles are written, under the container's run directory. */
    static final String PROFILE_FILE = "apparmor.profile";
    private static final Logger LOG = LoggerFactory.getLogger(AppArmorBackend.class);

    private final Path securityfs;
    private final ProfileParser parser;

    @Activate
    public AppArmorBackend() {
        this(SECURITYFS, new ProfileParser(ProfileParser.DEFAULT));
    }

    AppArmorBackend(Path securityfs, ProfileParser parser) {
        this.securityfs = securityfs;
        this.parser = parser;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        if (!host.lsms().contains(TYPE)) {
            return Detection.unavailable("AppArmor is not an active LSM (active: " + String.join(",", host.lsms())
                    + ")");
        }
        if (!Files.isDirectory(securityfs)) {
            return Detection.unavailable("\"" + securityfs + "\" does not exist (is securityfs mounted?)");
        }
        return Detection.available("AppArmor enabled (" + securityfs + ")");
    }

    @Override
    public boolean requested(ContainerConfig config) {
        return set(config, PROFILE).isPresent() || flag(config, NESTING) || !raw(config).isEmpty();
    }

    @Override
    public Optional<LsmProfile> profileFor(ContainerContext context) {
        ContainerConfig config = context.config();
        boolean optional = flag(config, INCOMPLETE);
        boolean nesting = flag(config, NESTING);
        String value = set(config, PROFILE).orElse(GENERATED);
        checkName(config, value);
        Detection d = detect(context.host());
        if (!d.available()) {
            if (value.equals(UNCONFINED) || value.equals(UNCHANGED) || !requested(config)) {
                return Optional.empty();
            }
            String what = "Config key \"" + PROFILE + "\" = \"" + value + "\" needs AppArmor, which this host does "
                    + "not provide: " + d.reason();
            if (!optional) {
                throw new UnsupportedFeatureException(what);
            }
            LOG.warn("{}: {}; going on unconfined ({} = 1)", context.name(), what, INCOMPLETE);
            return Optional.empty();
        }
        if (value.equals(UNCHANGED)) {
            return Optional.empty();
        }
        if (value.equals(GENERATED)) {
            return Optional.of(new LsmProfile(TYPE, GeneratedProfile.name(context.name(), context.lxcpath()), true,
                    optional));
        }
        if (nesting || !raw(config).isEmpty()) {
            LOG.warn("{}: {} and {} apply to generated profiles only; profile \"{}\" is used as it is",
                    context.name(), NESTING, RAW, value);
        }
        return Optional.of(new LsmProfile(TYPE, value, false, optional));
    }

    /** The text of the generated profile for {@code context}. */
    String generatedText(ContainerContext context, LsmProfile profile) {
        ContainerConfig config = context.config();
        return GeneratedProfile.text(profile.label(), context.name(), context.lxcpath(), flag(config, NESTING),
                raw(config));
    }

    @Override
    public void prepare(ContainerContext context, LsmProfile profile) {
        if (!profile.generated()) {
            return;
        }
        if (!parser.installed()) {
            throw new BackendException("Failed to load AppArmor profile \"" + profile.label()
                    + "\": apparmor_parser is not installed");
        }
        Path file = context.runDir().resolve(PROFILE_FILE);
        try {
            Files.writeString(file, generatedText(context, profile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackendException("Failed to write AppArmor profile \"" + file + "\": " + e.getMessage(), e);
        }
        parser.load(file);
        LOG.debug("{}: AppArmor profile \"{}\" loaded from \"{}\"", context.name(), profile.label(), file);
    }

    @Override
    public List<LsmLabel> labels(LsmProfile profile) {
        return List.of(new LsmLabel(TYPE, "exec", "exec " + profile.label(), profile.optional()));
    }

    @Override
    public void cleanup(ContainerContext context, LsmProfile profile) {
        if (profile.generated()) {
            unload(context.name(), context.runDir());
        }
    }

    /** After the stop: unloads the generated profile {@link #prepare} wrote to the run directory, if any. */
    @Override
    public void release(String name, Path runDir) {
        unload(name, runDir);
    }

    private void unload(String name, Path runDir) {
        Path file = runDir.resolve(PROFILE_FILE);
        if (!Files.exists(file)) {
            return;
        }
        try {
            if (parser.installed()) {
                parser.unload(file);
            } else {
                removeThroughSecurityfs(file);
            }
            LOG.debug("{}: AppArmor profile unloaded (\"{}\")", name, file);
        } catch (BackendException e) {
            // a profile already gone is not an error; anything else is worth a line but must not stop the cleanup
            LOG.warn("{}: {}", name, e.getMessage());
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new BackendException("Failed to remove \"" + file + "\": " + e.getMessage(), e);
        }
    }

    /**
     * Without {@code apparmor_parser} (removed since the start): writes the profile's name to securityfs'
     * {@code .remove}, as LXC does.
     */
    private void removeThroughSecurityfs(Path file) {
        String profile;
        try {
            profile = Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::strip)
                    .filter(l -> l.startsWith("profile \"")).map(l -> l.substring(9, l.indexOf('"', 9))).findFirst()
                    .orElseThrow(() -> new BackendException("Failed to unload AppArmor profile \"" + file
                            + "\": it has no profile line"));
        } catch (IOException e) {
            throw new BackendException("Failed to read \"" + file + "\": " + e.getMessage(), e);
        }
        Path remove = securityfs.resolve(".remove");
        try {
            Files.writeString(remove, profile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BackendException("Failed to unload AppArmor profile \"" + profile + "\" through \"" + remove
                    + "\": " + e.getMessage(), e);
        }
    }

    private static void checkName(ContainerConfig config, String value) {
        if (!value.matches("[^\\s\"\\x00]+")) {
            throw ConfigErrors.invalid(config, PROFILE, value, "Invalid " + PROFILE + " \"" + value
                    + "\": expected a profile name, " + UNCONFINED + ", " + UNCHANGED + " or " + GENERATED);
        }
    }

    private static Optional<String> set(ContainerConfig config, String key) {
        return config.value(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static boolean flag(ContainerConfig config, String key) {
        Optional<String> v = set(config, key);
        if (v.isEmpty() || v.get().equals("0")) {
            return false;
        }
        if (v.get().equals("1")) {
            return true;
        }
        throw ConfigErrors.invalid(config, key, v.get(), "Invalid " + key + " \"" + v.get() + "\": expected 0 or 1");
    }

    private static List<String> raw(ContainerConfig config) {
        return config.values(RAW).stream().map(String::strip).filter(v -> !v.isEmpty()).toList();
    }
}
