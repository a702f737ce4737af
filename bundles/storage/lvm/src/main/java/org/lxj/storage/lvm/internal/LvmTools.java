package org.lxj.storage.lvm.internal;

import java.util.List;

/** Runs one lvm2 or mkfs command: returns its standard output, or throws a BackendException naming it. */
interface LvmTools {
    String run(List<String> command);
}
