/** The copy snapshot provider: snapshots as full copies through the source's own storage backend. */
package org.lxj.snapshot.copy.internal;
