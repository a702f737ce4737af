/** LSM backends: AppArmor, SELinux and the nop backend that confine a container's processes. */
@Export
@Version("1.2.0")
package org.lxj.spi.lsm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
