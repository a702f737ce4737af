/** Typed, read-only views of container and system configuration in LXC's format. */
@Export
@Version("1.1.0")
package org.lxj.api.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
