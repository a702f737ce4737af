/** The cgroup v2 backend's implementation: payload and monitor directories in the cgroup2 hierarchy. */
package org.lxj.cgroup.v2.internal;
