/** The local template: a rootfs and its config from a pair of image tarballs, as LXC's lxc-local. */
package org.lxj.template.local.internal;
