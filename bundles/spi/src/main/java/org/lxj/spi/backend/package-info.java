/** What every backend is: a type name, a probe of the host, and the typed failure it reports. */
@Export
@Version("1.0.0")
package org.lxj.spi.backend;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
