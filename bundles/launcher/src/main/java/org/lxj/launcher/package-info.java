/** Starting containers through the native launcher/monitor: plans, the launch handshake and the monitor client. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.lxj.launcher;
