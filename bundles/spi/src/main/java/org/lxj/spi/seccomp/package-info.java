/** Seccomp compilers: a policy text, an architecture and capabilities in, classic BPF bytes out. */
@Export
@Version("1.0.0")
package org.lxj.spi.seccomp;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
