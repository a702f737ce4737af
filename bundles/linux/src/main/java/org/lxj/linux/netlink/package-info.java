/** rtnetlink from Java: a message codec and a route socket for links, addresses and routes (no {@code ip} binary). */
@Export
@Version("1.0.0")
package org.lxj.linux.netlink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
