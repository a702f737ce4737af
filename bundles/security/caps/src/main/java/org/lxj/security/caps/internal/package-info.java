/** The capabilities security backend: capability sets and no_new_privs computed from lxc.cap.* keys. */
package org.lxj.security.caps.internal;
