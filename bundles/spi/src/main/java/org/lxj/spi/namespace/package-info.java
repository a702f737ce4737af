/** Namespace policy: which namespaces a container creates, keeps or shares, and its id maps. */
@Export
@Version("1.0.0")
package org.lxj.spi.namespace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
