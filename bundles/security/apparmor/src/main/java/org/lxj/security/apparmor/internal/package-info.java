/** The AppArmor LSM backend: profile selection and generation from lxc.apparmor.* keys, loading with apparmor_parser. */
package org.lxj.security.apparmor.internal;
