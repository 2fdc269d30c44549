/**
 * The tail of the node's log as the archive recorded it: a check, run before the archive starts, that refuses a
 * recording whose last frame a cut short write left torn, and the repair that ends the recording at its last whole
 * frame instead. Aeron's own recovery of an unstopped recording looks at the wrong page of the file and can replay a
 * torn entry, which diverges the replica silently. And its retention: the segments older than the newest snapshot,
 * less what is kept, purged through the archive ({@code LogRetention}).
 */
package io.metastore.node.log;
