package org.lxj.api;

import java.nio.file.Path;

/** A container of that name already exists (or is being created right now). */
public class ContainerExistsException extends LxjException {
    private static final long serialVersionUID = 1L;

    public ContainerExistsException(String name, Path lxcpath) {
        super("Container \"" + name + "\" already exists in \"" + lxcpath + "\"");
    }
}
