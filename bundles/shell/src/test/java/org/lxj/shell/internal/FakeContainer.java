package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.lxj.api.Container;
import org.lxj.api.ContainerState;
import org.lxj.api.config.ContainerConfig;

/** A container of the fake runtime: a name, a configuration, a state and maybe a PID. */
record FakeContainer(String name, Path lxcpath, ContainerConfig config, ContainerState state, OptionalLong initPid)
        implements Container {

    static FakeContainer stopped(Path lxcpath, String name, ContainerConfig config) {
        return new FakeContainer(name, lxcpath, config, ContainerState.STOPPED, OptionalLong.empty());
    }

    static FakeContainer running(Path lxcpath, String name, ContainerConfig config, long pid) {
        return new FakeContainer(name, lxcpath, config, ContainerState.RUNNING, OptionalLong.of(pid));
    }
}
