/** The busybox template: a minimal rootfs built from the host's busybox binary, as LXC's lxc-busybox. */
package org.lxj.template.busybox.internal;
