package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

import org.lxj.api.Container;
import org.lxj.api.ContainerExistsException;
import org.lxj.api.ContainerState;
import org.lxj.api.CreateRequest;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.net.HwaddrTemplate;
import org.lxj.core.internal.layout.OneDeviceRemover;
import org.lxj.core.internal.lock.ClaimRegistry;
import org.lxj.core.internal.lock.PartialClaim;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageRequest;
import org.lxj.spi.template.Template;
import org.lxj.spi.template.TemplateRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code lxc-create}: all or nothing. The directory is made atomically and marked {@code partial} (held) for the
 * whole creation; the config starts from the {@code -f} file or else {@code lxc.default_config} (copied line by
 * line, as LXC does); with a template a rootfs is made, the template fills it, and LXC's header is put on top.
 * The marker goes last. Any failure removes what was made and rethrows.
 */
final class ContainerCreator {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerCreator.class);

    private final SystemConfig system;
    private final Function<Path, ContainerConfig> parser;
    private final StorageChoice storage;
    private final LeftoverSweeper sweeper;
    private final ClaimRegistry claims;
    private final OneDeviceRemover remover;
    private final EventSink events;
    private final Function<LxcLayout, Container> containers;

    ContainerCreator(SystemConfig system, Function<Path, ContainerConfig> parser, StorageChoice storage,
            LeftoverSweeper sweeper, ClaimRegistry claims, OneDeviceRemover remover, EventSink events,
            Function<LxcLayout, Container> containers) {
        this.system = system;
        this.parser = parser;
        this.storage = storage;
        this.sweeper = sweeper;
        this.claims = claims;
        this.remover = remover;
        this.events = events;
        this.containers = containers;
    }

    /** The config a new container starts from: its lines and their parsed meaning. */
    private record Base(List<String> lines, Optional<ContainerConfig> parsed) {
        Optional<String> rootfsPath() {
            return parsed.flatMap(ContainerConfig::rootfsPath);
        }
    }

    Container create(CreateRequest request) {
        LxcLayout layout = new LxcLayout(request.lxcpath(), request.name());
        String name = layout.name();
        Optional<Template> template = request.template().map(storage::template);
        storage.checkInstalled(request.storageTypes());
        Base base = base(request);
        ensureLxcpath(layout.lxcpath());
        sweeper.sweep(layout.lxcpath());
        PartialClaim claim = makeDirectory(layout);
        LOG.debug("{}: directory \"{}\" made and marked partial", name, layout.dir());
        StorageChoice.Made made = null;
        try {
            String rootfs = null;
            if (base.rootfsPath().isPresent()) {
                rootfs = base.rootfsPath().get();
                requireExisting(name, rootfs);
            } else if (template.isPresent()) {
                made = storage.create(name, request.storageTypes(),
                        new StorageRequest(name, layout.dir(), request.storageOptions()));
                rootfs = made.rootfsPath();
            }
            // as LXC: an hwaddr template (00:16:3e:xx:xx:xx) is expanded once, here, and kept in the config
            List<String> lines = new ArrayList<>(HwaddrTemplate.expand(base.lines()));
            if (made != null) {
                lines.add("lxc.rootfs.path = " + made.rootfsPath());
            }
            ConfigFiles.write(layout.config(), ConfigFiles.text(lines));
            LOG.debug("{}: config written to \"{}\"", name, layout.config());
            if (template.isPresent() && template.get() instanceof TemplateScript
                    && !parser.apply(layout.config()).values("lxc.idmap").isEmpty()) {
                // LXC runs such a script under lxc-usernsexec with --mapped-uid/--mapped-gid
                throw new UnsupportedFeatureException("Template script \"" + template.get().type() + "\" cannot run "
                        + "for \"" + name + "\": scripts for containers with lxc.idmap are not supported");
            }
            if (template.isPresent()) {
                StorageBackend owner = made != null ? made.backend() : storage.requireOwner(name, rootfs);
                install(layout, template.get(), owner, rootfs, request.templateArguments());
            }
            claim.release();
        } catch (RuntimeException e) {
            undo(layout, claim, made, e);
            throw e;
        }
        LOG.info("{}: created in \"{}\"", name, layout.lxcpath());
        events.emit(new ContainerEvent(layout.lxcpath(), name, ContainerEvent.Kind.CREATED, ContainerState.STOPPED,
                OptionalInt.empty(), Instant.now()));
        return containers.apply(layout);
    }

    private Base base(CreateRequest request) {
        Optional<Path> file = request.configFile();
        if (file.isEmpty()) {
            file = system.defaultConfig().filter(Files::exists);
        }
        if (file.isEmpty()) {
            return new Base(List.of(), Optional.empty());
        }
        List<String> lines = ConfigFiles.copiedLines(file.get());
        return new Base(lines, Optional.of(parser.apply(file.get())));
    }

    private static void ensureLxcpath(Path lxcpath) {
        try {
            Files.createDirectories(lxcpath);
        } catch (IOException e) {
            throw new LxjException("Failed to create directory \"" + lxcpath + "\": " + e, e);
        }
    }

    private PartialClaim makeDirectory(LxcLayout layout) {
        try {
            Files.createDirectory(layout.dir(),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwx---")));
        } catch (FileAlreadyExistsException e) {
            throw new ContainerExistsException(layout.name(), layout.lxcpath());
        } catch (IOException e) {
            throw new LxjException("Failed to create directory \"" + layout.dir() + "\": " + e, e);
        }
        Optional<PartialClaim> claim = PartialClaim.acquire(claims, layout.dir());
        if (claim.isEmpty()) {
            // Nobody else can have marked a directory we just made, unless it was removed and made again
            // under us: either way the name is taken.
            throw new ContainerExistsException(layout.name(), layout.lxcpath());
        }
        return claim.get();
    }

    /** An {@code lxc.rootfs.path} given in the config must exist: the container uses it, nothing is made. */
    private static void requireExisting(String name, String rootfsPath) {
        Path p = Path.of(RootfsPaths.firstPath(rootfsPath));
        if (!Files.exists(p)) {
            throw new LxjException("The rootfs \"" + p + "\" of \"" + name + "\" does not exist");
        }
    }

    private void install(LxcLayout layout, Template template, StorageBackend owner, String rootfs,
            List<String> arguments) {
        String name = layout.name();
        ensureMountTarget(layout.rootfs());
        MountedRootfs mounted = owner.mount(rootfs, layout.rootfs());
        try {
            LOG.debug("{}: running template \"{}\" into \"{}\"", name, template.type(), mounted.path());
            template.install(new TemplateRequest(name, layout.lxcpath(), mounted.path(), layout.config(),
                    arguments));
        } catch (LxjException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new LxjException("Template \"" + template.type() + "\" failed for \"" + name + "\": " + e, e);
        } finally {
            if (mounted.needsUnmount()) {
                owner.unmount(rootfs, layout.rootfs());
            }
        }
        ConfigFiles.write(layout.config(),
                LxcHeader.text(template.type(), arguments) + ConfigFiles.read(layout.config()));
    }

    private static void ensureMountTarget(Path rootfs) {
        if (!Files.isDirectory(rootfs)) {
            try {
                Files.createDirectories(rootfs);
            } catch (IOException e) {
                throw new LxjException("Failed to create directory \"" + rootfs + "\": " + e, e);
            }
        }
    }

    private void undo(LxcLayout layout, PartialClaim claim, StorageChoice.Made made, RuntimeException cause) {
        String name = layout.name();
        LOG.debug("{}: creation failed ({}), removing what was made", name, cause.getMessage());
        try {
            if (made != null) {
                made.backend().destroy(made.rootfsPath());
            }
            remover.removeContents(layout.dir(), p -> p.getFileName().toString().equals(LxcLayout.PARTIAL));
            claim.release();
            Files.deleteIfExists(layout.dir());
        } catch (RuntimeException | IOException e) {
            cause.addSuppressed(e);
            // The marker stays so that the next command removes the rest.
            LOG.warn("{}: failed to remove the half-created container: {}", name, e.getMessage());
        } finally {
            claim.close();
        }
    }
}
