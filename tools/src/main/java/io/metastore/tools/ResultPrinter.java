package io.metastore.tools;

import io.metastore.client.AlarmResult;
import io.metastore.client.CompactResult;
import io.metastore.client.DefragmentResult;
import io.metastore.client.DeleteResult;
import io.metastore.client.LeaseGrantResult;
import io.metastore.client.LeaseKeepAliveResult;
import io.metastore.client.LeaseListResult;
import io.metastore.client.LeaseRevokeResult;
import io.metastore.client.LeaseTimeToLiveResult;
import io.metastore.client.PutResult;
import io.metastore.client.RangeResult;
import io.metastore.client.ResponseHeader;
import io.metastore.client.TxnResult;
import io.metastore.client.WatchEvents;

import java.util.List;

/**
 * Prints the result of a verb in one output format, as etcdctl's printers do.
 */
interface ResultPrinter
{
    /**
     * @param result of a put.
     */
    void put(PutResult result);

    /**
     * @param result    of a range.
     * @param keysOnly  values were not asked for.
     * @param countOnly only the count was asked for.
     * @param valueOnly print values without their keys, where the format has such a mode.
     */
    void range(RangeResult result, boolean keysOnly, boolean countOnly, boolean valueOnly);

    /**
     * @param result of a delete-range.
     */
    void delete(DeleteResult result);

    /**
     * @param result of a transaction.
     * @param formats of the range operations of the branch that ran, by position; missing ones print in full.
     */
    void txn(TxnResult result, List<RangeFormat> formats);

    /**
     * @param result of a lease grant.
     */
    void leaseGrant(LeaseGrantResult result);

    /**
     * @param leaseId revoked.
     * @param result  of the revoke.
     */
    void leaseRevoke(long leaseId, LeaseRevokeResult result);

    /**
     * @param result of one renewal.
     */
    void leaseKeepAlive(LeaseKeepAliveResult result);

    /**
     * A {@code lease keep-alive} ended because the lease is gone.
     *
     * @param leaseId that was kept alive.
     */
    void leaseKeepAliveEnded(long leaseId);

    /**
     * @param result   of a time-to-live query.
     * @param withKeys the attached keys were asked for.
     */
    void leaseTimeToLive(LeaseTimeToLiveResult result, boolean withKeys);

    /**
     * @param result of a lease list.
     */
    void leases(LeaseListResult result);

    /**
     * @param result of an alarm list or disarm: the alarms listed or cleared.
     */
    void alarms(AlarmResult result);

    /**
     * A compaction was applied.
     *
     * @param result of the compaction.
     */
    void compacted(CompactResult result);

    /**
     * A defragment request was applied: every member reclaims space on a thread of its own.
     *
     * @param result of the request.
     */
    void defragmented(DefragmentResult result);

    /**
     * The events of one revision of a watch.
     *
     * @param events of the revision.
     */
    void watchEvents(WatchEvents events);

    /**
     * A watch has had every revision up to one.
     *
     * @param header of the member's notification; its revision, the one reached.
     */
    void watchProgress(ResponseHeader header);

    /**
     * @param statuses of the members asked, in member order: {@code endpoint status}.
     */
    void endpointStatus(List<ClusterReport.EndpointStatus> statuses);

    /**
     * @param healths of the members asked, in member order: {@code endpoint health}.
     */
    void endpointHealth(List<ClusterReport.EndpointHealth> healths);

    /**
     * @param hashes of the members asked, in member order: {@code endpoint hashkv}.
     */
    void endpointHashKv(List<ClusterReport.EndpointHash> hashes);

    /**
     * @param header  of a member's answer, or null if none answered.
     * @param members of the cluster, in member order: {@code member list}.
     */
    void memberList(ResponseHeader header, List<ClusterReport.MemberRow> members);

    /**
     * Write out what was printed: a command that runs until stopped prints as it goes.
     */
    void flush();
}
