/** Network backends, one per {@code lxc.net.N.type}: host-side setup, in-namespace configuration, teardown. */
@Export
@Version("1.0.0")
package org.lxj.spi.network;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
