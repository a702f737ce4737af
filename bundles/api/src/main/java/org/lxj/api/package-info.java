/** The container runtime as its callers (shell, control socket, embedders) see it. */
@Export
@Version("1.8.0")
package org.lxj.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
