/** The cgroup v1 backend's implementation: one payload and monitor directory per mounted v1 hierarchy. */
package org.lxj.cgroup.v1.internal;
