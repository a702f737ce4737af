/** The default namespace policy: clone, keep and share sets, id maps and time offsets from the configuration. */
package org.lxj.namespace.internal;
