/** The seccomp security backend: LXC and OCI policies compiled to classic BPF through libseccomp. */
package org.lxj.security.seccomp.internal;
