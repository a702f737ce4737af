package org.lxj.api;

import java.nio.file.Path;

/** The named container is not defined in the lxcpath. */
public class ContainerNotFoundException extends LxjException {
    private static final long serialVersionUID = 1L;

    public ContainerNotFoundException(String name, Path lxcpath) {
        super("Container \"" + name + "\" does not exist in \"" + lxcpath + "\"");
    }
}
