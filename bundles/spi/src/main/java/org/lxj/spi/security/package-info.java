/** Security policy backends: capabilities, securebits, no_new_privs and other process hardening. */
@Export
@Version("1.0.0")
package org.lxj.spi.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
