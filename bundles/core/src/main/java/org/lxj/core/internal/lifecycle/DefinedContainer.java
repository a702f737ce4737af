package org.lxj.core.internal.lifecycle;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.function.Function;

import org.lxj.api.Container;
import org.lxj.api.ContainerState;
import org.lxj.api.config.ContainerConfig;

/**
 * A container found on disk. Its config is parsed when first asked for, so listing a directory with one bad
 * config still lists the others; its state is asked of the state store each time.
 */
final class DefinedContainer implements Container {
    private final Path lxcpath;
    private final String name;
    private final Function<Path, ContainerConfig> parser;
    private final StateStore states;
    private volatile ContainerConfig config;

    DefinedContainer(Path lxcpath, String name, Function<Path, ContainerConfig> parser, StateStore states) {
        this.lxcpath = lxcpath;
        this.name = name;
        this.parser = parser;
        this.states = states;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path lxcpath() {
        return lxcpath;
    }

    @Override
    public ContainerConfig config() {
        ContainerConfig c = config;
        if (c == null) {
            c = parser.apply(configFile());
            config = c;
        }
        return c;
    }

    @Override
    public ContainerState state() {
        return states.state(lxcpath, name);
    }

    @Override
    public OptionalLong initPid() {
        return states.initPid(lxcpath, name);
    }

    @Override
    public String toString() {
        return "Container[" + directory() + "]";
    }
}
