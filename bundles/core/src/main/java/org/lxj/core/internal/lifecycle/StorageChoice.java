package org.lxj.core.internal.lifecycle;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.api.BackendNotFoundException;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.core.internal.select.BackendSelector;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageRequest;
import org.lxj.spi.template.Template;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Storage and template selection for the lifecycle verbs. */
final class StorageChoice {
    private static final Logger LOG = LoggerFactory.getLogger(StorageChoice.class);

    /** A rootfs that was made, and by whom: what undoing it needs. */
    record Made(StorageBackend backend, String rootfsPath) {
    }

    /** The storage type {@code lxc-create} uses when no {@code -B} is given, as LXC's. */
    static final String DEFAULT_TYPE = "dir";

    private final Backends backends;
    private final BackendSelector<StorageBackend> storage = new BackendSelector<>("storage");
    private final BackendSelector<Template> templates = new BackendSelector<>("template");

    private final Path lxcTemplates;

    StorageChoice(Backends backends) {
        this(backends, TemplateScript.LXC_TEMPLATES);
    }

    /** @param lxcTemplates where LXC's template scripts ({@code lxc-NAME}) are looked up */
    StorageChoice(Backends backends, Path lxcTemplates) {
        this.backends = backends;
        this.lxcTemplates = lxcTemplates;
    }

    /**
     * The types to try: those asked for, else LXC's default {@value #DEFAULT_TYPE} when it is installed (a more
     * specific backend with a higher ranking must not capture plain {@code lxc-create}), else empty, which
     * leaves the choice to ranking and detection.
     */
    List<String> orDefault(List<String> asked) {
        if (!asked.isEmpty()) {
            return asked;
        }
        boolean defaultHere = backends.storage().stream().anyMatch(r -> r.backend().type().equals(DEFAULT_TYPE));
        return defaultHere ? List.of(DEFAULT_TYPE) : asked;
    }

    /** Fails early (before anything is made) when an explicitly named storage type is not installed. */
    void checkInstalled(List<String> explicit) {
        if (!explicit.isEmpty()) {
            storage.candidates(backends.storage(), explicit, backends.host());
        }
    }

    /**
     * Creates the rootfs with the first candidate that succeeds; a failed candidate removed what it made (the
     * SPI contract), so the next one starts clean.
     */
    Made create(String name, List<String> asked, StorageRequest request) {
        List<String> explicit = orDefault(asked);
        List<StorageBackend> candidates = storage.candidates(backends.storage(), explicit, backends.host());
        LxjException failure = null;
        for (StorageBackend b : candidates) {
            try {
                String rootfs = b.create(request);
                LOG.info("{}: storage backend \"{}\" chosen ({}), rootfs \"{}\"", name, b.type(),
                        explicit.isEmpty() ? "ranking and detection" : "-B " + String.join(",", explicit), rootfs);
                return new Made(b, rootfs);
            } catch (LxjException e) {
                LOG.warn("{}: storage backend \"{}\" failed to create the rootfs: {}", name, b.type(), e.getMessage());
                if (failure != null) {
                    e.addSuppressed(failure);
                }
                failure = e;
            }
        }
        throw failure;
    }

    /** The backend that owns an {@code lxc.rootfs.path} value. */
    Optional<StorageBackend> owner(String rootfsPath) {
        return backends.storage().stream().map(r -> r.backend()).filter(b -> b.owns(rootfsPath)).findFirst();
    }

    /** The owner, or a clear error naming the rootfs when none is installed. */
    StorageBackend requireOwner(String name, String rootfsPath) {
        return owner(rootfsPath).orElseThrow(() -> new UnsupportedFeatureException(
                "No installed storage backend handles rootfs \"" + rootfsPath + "\" of \"" + name + "\""));
    }

    /**
     * The template {@code -t NAME}: an absolute path is a template script run with LXC's calling convention; a name
     * is an installed LXJ template first, else LXC's script {@code lxc-NAME} in its template directory, as LXC
     * looks it up.
     *
     * @throws BackendNotFoundException reading {@code no template "NAME" is installed}
     */
    Template template(String name) {
        if (name.indexOf('/') >= 0) {
            if (!name.startsWith("/")) {
                throw new UnsupportedFeatureException("Template script \"" + name + "\" must be an absolute path");
            }
            LOG.info("template script \"{}\" chosen (-t {})", name, name);
            return script(Path.of(name));
        }
        Optional<Template> t = templates.find(backends.templates(), name);
        if (t.isPresent()) {
            LOG.info("template \"{}\" chosen (-t {})", t.get().type(), name);
            return t.get();
        }
        Path script = TemplateScript.find(name, lxcTemplates).orElseThrow(
                () -> BackendNotFoundException.template(name));
        LOG.info("no LXJ template \"{}\" is installed: LXC's template script \"{}\" chosen", name, script);
        return script(script);
    }

    private static Template script(Path script) {
        return new TemplateScript(script, System.getenv(), TemplateScript.unshareTool());
    }
}
