/** The typed, validated launch plan that backends contribute to and the launcher carries out. */
@Export
@Version("1.3.0")
package org.lxj.spi.launch;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
