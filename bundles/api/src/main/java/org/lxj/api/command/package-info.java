/** Commands the runtime daemon runs for its clients without a shell session. */
@Export
@Version("1.1.0")
package org.lxj.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
