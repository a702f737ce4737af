/** cgroup backends: the container's control groups, their limits, freezing, killing and statistics. */
@Export
@Version("1.2.0")
package org.lxj.spi.cgroup;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
