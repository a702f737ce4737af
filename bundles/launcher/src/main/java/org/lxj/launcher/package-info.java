/** Starting containers through the native launcher/monitor: the launch handshake for an SPI {@code LaunchPlan}, attach, and the monitor client. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.10.0")
package org.lxj.launcher;
