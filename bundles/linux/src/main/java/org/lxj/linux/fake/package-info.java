/** A recording, scriptable {@link org.lxj.linux.Syscalls} for unit tests that must not need root. */
@Export
@Version("1.1.0")
package org.lxj.linux.fake;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
