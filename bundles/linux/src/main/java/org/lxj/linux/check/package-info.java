/** The host check behind {@code lxc-checkconfig}: a report model, the checker service and LXC's text layout. */
@Export
@Version("1.0.0")
package org.lxj.linux.check;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
