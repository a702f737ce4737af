/** The nop LSM backend: the explicit "no LSM" choice of a host without AppArmor or SELinux. */
package org.lxj.security.nop.internal;
