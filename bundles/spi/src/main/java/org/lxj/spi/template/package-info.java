/** Templates: what fills a new container's rootfs and config (busybox, local, scripts). */
@Export
@Version("1.0.0")
package org.lxj.spi.template;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
