/** Events the runtime emits as containers are created, change state and are destroyed. */
@Export
@Version("1.1.0")
package org.lxj.api.event;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
