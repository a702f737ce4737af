/** The Landlock security backend: a ruleset computed from lxj.landlock.* keys and the host's Landlock ABI. */
package org.lxj.security.landlock.internal;
