/** Typed Linux syscalls with errno captured at the call: the only way LXJ's Java code talks to the kernel. */
@Export
@Version("1.8.0")
package org.lxj.linux;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
