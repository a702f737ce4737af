/** Facts about the host that backends probe against, gathered once by the linux bundle. */
@Export
@Version("1.0.0")
package org.lxj.spi.host;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
