/** Storage backends: where a container's rootfs lives (dir, overlay, btrfs, loop, lvm, ...). */
@Export
@Version("1.1.0")
package org.lxj.spi.storage;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
