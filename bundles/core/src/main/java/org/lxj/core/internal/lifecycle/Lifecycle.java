package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.lxj.api.Container;
import org.lxj.api.CopyRequest;
import org.lxj.api.CreateRequest;
import org.lxj.api.SnapshotInfo;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.layout.OneDeviceRemover;
import org.lxj.core.internal.lock.ClaimRegistry;

/**
 * The runtime's verbs over an lxcpath, free of OSGi: the DS component hands it the installed backends, and unit
 * tests hand it fakes. Listing, finding and creating first sweep the lxcpath for leftovers of interrupted commands;
 * destroying sweeps the one container it names.
 */
public final class Lifecycle {
    private final SystemConfig system;
    private final Function<Path, ContainerConfig> parser;
    private final StateStore states;
    private final LeftoverSweeper sweeper;
    private final ContainerCreator creator;
    private final ContainerDestroyer destroyer;
    private final Cloner cloner;
    private final Snapshots snapshots;

    /**
     * @param system   the system configuration
     * @param backends the installed backends, asked afresh on every use
     * @param parser   parses a container config file (with includes), throwing ConfigException
     * @param states   where runtime state is known
     * @param events   receives CREATED and DESTROYED events
     */
    public Lifecycle(SystemConfig system, Backends backends, Function<Path, ContainerConfig> parser,
            StateStore states, EventSink events) {
        this(system, backends, parser, states, events, TemplateScript.LXC_TEMPLATES);
    }

    /**
     * @param lxcTemplates where {@code -t NAME} finds LXC's template script {@code lxc-NAME} when no LXJ template of
     *                     that name is installed
     */
    public Lifecycle(SystemConfig system, Backends backends, Function<Path, ContainerConfig> parser,
            StateStore states, EventSink events, Path lxcTemplates) {
        this(system, backends, parser, states, events, lxcTemplates, HostMounts.NONE);
    }

    /**
     * @param mounts the host's mount table, from which leftovers of killed commands are unmounted
     */
    public Lifecycle(SystemConfig system, Backends backends, Function<Path, ContainerConfig> parser,
            StateStore states, EventSink events, HostMounts mounts) {
        this(system, backends, parser, states, events, TemplateScript.LXC_TEMPLATES, mounts);
    }

    public Lifecycle(SystemConfig system, Backends backends, Function<Path, ContainerConfig> parser,
            StateStore states, EventSink events, Path lxcTemplates, HostMounts mounts) {
        this.system = system;
        this.parser = parser;
        this.states = states;
        ClaimRegistry claims = new ClaimRegistry();
        OneDeviceRemover remover = new OneDeviceRemover();
        StorageChoice storage = new StorageChoice(backends, lxcTemplates);
        this.sweeper = new LeftoverSweeper(claims, parser, storage, remover, mounts, states);
        this.creator = new ContainerCreator(system, parser, storage, sweeper, claims, remover, events,
                layout -> container(layout.lxcpath(), layout.name()));
        this.destroyer = new ContainerDestroyer(parser, storage, claims, remover, states, events, mounts);
        this.cloner = new Cloner(parser, storage, new RootfsCloner(backends, storage), sweeper, claims, remover,
                states);
        this.snapshots = new Snapshots(cloner, destroyer, sweeper, storage, remover, parser, states);
    }

    public SystemConfig systemConfig() {
        return system;
    }

    public List<Container> list(Path lxcpath) {
        Path root = lxcpath.toAbsolutePath().normalize();
        sweeper.sweep(root);
        List<Container> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (new LxcLayout(root, name).isDefined()) {
                    out.add(container(root, name));
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        } catch (IOException e) {
            throw new LxjException("Failed to read directory \"" + root + "\": " + e, e);
        }
        out.sort(Comparator.comparing(Container::name));
        return List.copyOf(out);
    }

    public Optional<Container> find(Path lxcpath, String name) {
        LxcLayout layout = new LxcLayout(lxcpath, name);
        // only this name's leftover: a lookup reads one directory, not every container's (lxc-ls sweeps them all)
        sweeper.sweepIfMarked(layout.dir());
        return layout.isDefined() ? Optional.of(container(layout.lxcpath(), name)) : Optional.empty();
    }

    public Container create(CreateRequest request) {
        return creator.create(request);
    }

    public void destroy(Path lxcpath, String name, DestroyOptions options) {
        LxcLayout layout = new LxcLayout(lxcpath, name);
        sweeper.sweepOne(layout.dir());
        destroyer.destroy(lxcpath, name, options);
    }

    public ContainerConfig parseConfig(Path file) {
        return parser.apply(file);
    }

    /** {@code lxc-copy}. */
    public Container copy(CopyRequest request) {
        LxcLayout made = cloner.copy(request);
        return container(made.lxcpath(), made.name());
    }

    /** {@code lxc-copy -R}. */
    public Container rename(Path lxcpath, String name, String newName) {
        LxcLayout made = cloner.rename(lxcpath, name, newName, destroyer);
        return container(made.lxcpath(), made.name());
    }

    /** {@code lxc-snapshot}. */
    public String snapshot(Path lxcpath, String name, Optional<Path> commentFile) {
        return snapshots.create(lxcpath, name, commentFile);
    }

    /** {@code lxc-snapshot -L}. */
    public List<SnapshotInfo> snapshots(Path lxcpath, String name) {
        return snapshots.list(lxcpath, name);
    }

    /** {@code lxc-snapshot -r}. */
    public Container restoreSnapshot(Path lxcpath, String name, String snapshot, Optional<String> newName) {
        LxcLayout made = snapshots.restore(lxcpath, name, snapshot, newName.orElse(name));
        return container(made.lxcpath(), made.name());
    }

    /** {@code lxc-snapshot -d}. */
    public void destroySnapshot(Path lxcpath, String name, String snapshot) {
        snapshots.destroy(lxcpath, name, snapshot);
    }

    private Container container(Path lxcpath, String name) {
        return new DefinedContainer(lxcpath, name, parser, states);
    }
}
