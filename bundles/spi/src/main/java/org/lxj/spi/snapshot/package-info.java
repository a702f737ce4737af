/** Snapshot providers: who can snapshot a rootfs, by copy or copy-on-write, and how it is restored. */
@Export
@Version("1.1.0")
package org.lxj.spi.snapshot;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
