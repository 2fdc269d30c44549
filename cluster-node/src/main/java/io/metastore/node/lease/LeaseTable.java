package io.metastore.node.lease;

import io.metastore.node.storage.KvStorage;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongArrayList;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The live leases, in memory and, through the storage's batch, on disk; and the timers that expire them. Changed
 * only by the state machine, so it is the same on every replica. Deterministic: time is passed in (cluster time),
 * and an id the cluster picks comes from a replicated sequence, not from randomness.
 */
public final class LeaseTable
{
    private static final long MS_PER_SECOND = TimeUnit.SECONDS.toMillis(1);

    private final Long2ObjectHashMap<Lease> leases = new Long2ObjectHashMap<>();
    private final KvStorage storage;
    private final LeaseTimers timers;
    private long sequence;

    /**
     * @param storage to persist leases in.
     * @param timers  to expire leases with.
     */
    public LeaseTable(final KvStorage storage, final LeaseTimers timers)
    {
        this.storage = storage;
        this.timers = timers;
    }

    /**
     * Forget every lease and read them from storage: at start and after a snapshot replaced storage. Attached keys
     * are added back by the caller, from the key index.
     */
    public void reloadFromStorage()
    {
        leases.clear();
        storage.forEachLease((id, ttl, deadline) -> leases.put(id, new Lease(id, ttl, deadline)));
        sequence = storage.leaseSequence();
    }

    /**
     * @param id of the lease.
     * @return the lease, or null if it does not exist.
     */
    public Lease get(final long id)
    {
        return leases.get(id);
    }

    /**
     * @return the number of live leases.
     */
    public int size()
    {
        return leases.size();
    }

    /**
     * An id no lease holds, picked deterministically: a mix of a replicated sequence, so ids look like etcd's and
     * every replica picks the same one.
     *
     * @return a positive id not in use.
     */
    public long nextId()
    {
        long id;
        do
        {
            sequence++;
            id = mix(sequence) & Long.MAX_VALUE;
        }
        while (0 == id || leases.containsKey(id));
        storage.putLeaseSequence(sequence);

        return id;
    }

    /**
     * Add a lease and schedule its expiry.
     *
     * @param id    of the lease, not in use.
     * @param ttl   in seconds.
     * @param nowMs cluster time.
     * @return the lease.
     */
    public Lease grant(final long id, final long ttl, final long nowMs)
    {
        final Lease lease = new Lease(id, ttl, nowMs + ttl * MS_PER_SECOND);
        leases.put(id, lease);
        persistAndSchedule(lease);

        return lease;
    }

    /**
     * Renew a lease to its full TTL from now, never shortening it.
     *
     * @param lease to renew.
     * @param nowMs cluster time.
     */
    public void renew(final Lease lease, final long nowMs)
    {
        lease.deadline(Math.max(lease.deadline(), nowMs + lease.ttl() * MS_PER_SECOND));
        persistAndSchedule(lease);
    }

    /**
     * A new leadership term began: every lease gets at least its full TTL from now, as etcd's lessor does when it is
     * promoted, so no lease expires because its keep-alives could not reach a leader during the election; and every
     * timer is scheduled again, as a member that restarted may not hold them.
     *
     * @param nowMs cluster time of the term's start.
     */
    public void onNewTerm(final long nowMs)
    {
        for (final Lease lease : leases.values())
        {
            renew(lease, nowMs);
        }
    }

    /**
     * Revoke a lease, or expire it: remove it and its timer, and delete every key attached to it, in key order, so
     * the history numbers the deletes alike on every replica, however its keys were attached (or loaded).
     *
     * @param lease   to revoke.
     * @param deleter deletes the keys from the store.
     * @return the number of keys deleted.
     */
    public int revoke(final Lease lease, final KeyDeleter deleter)
    {
        final ByteBuffer[] keys = lease.keys().toArray(new ByteBuffer[0]);
        Arrays.sort(keys, (a, b) -> Arrays.compareUnsigned(a.array(), b.array()));
        leases.remove(lease.id());
        storage.deleteLease(lease.id());
        timers.cancel(lease.id());
        for (final ByteBuffer key : keys)
        {
            deleter.delete(key.array());
        }

        return keys.length;
    }

    /**
     * @param lease to attach to.
     * @param key   to attach; retained.
     */
    public void attach(final Lease lease, final byte[] key)
    {
        lease.keys().add(ByteBuffer.wrap(key));
    }

    /**
     * Detach a key from the lease it is attached to, if that lease still exists.
     *
     * @param leaseId the key is attached to, 0 for none.
     * @param key     to detach.
     */
    public void detach(final long leaseId, final byte[] key)
    {
        if (0 != leaseId)
        {
            final Lease lease = leases.get(leaseId);
            if (null != lease)
            {
                lease.keys().remove(ByteBuffer.wrap(key));
            }
        }
    }

    /**
     * @param ids to fill with every lease id, ascending.
     */
    public void ids(final LongArrayList ids)
    {
        ids.clear();
        leases.keySet().forEach(ids::addLong);
        ids.sort(Long::compare);
    }

    private void persistAndSchedule(final Lease lease)
    {
        storage.putLease(lease.id(), lease.ttl(), lease.deadline());
        timers.schedule(lease.id(), lease.deadline());
    }

    /**
     * SplitMix64's finaliser: a bijection, so distinct sequence numbers give distinct ids.
     */
    private static long mix(final long value)
    {
        long z = value * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
