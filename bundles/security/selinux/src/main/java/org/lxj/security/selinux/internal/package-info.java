/** The SELinux LSM backend: exec and keyring contexts from lxc.selinux.* keys. */
package org.lxj.security.selinux.internal;
