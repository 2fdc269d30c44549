package io.metastore.tools;

import io.metastore.client.AlarmMember;
import io.metastore.client.AlarmResult;
import io.metastore.client.MemberStatus;
import io.metastore.client.MetaStoreClient;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code endpoint health} for one member, as etcdctl's: a linearizable read through the member, timed, and the
 * cluster's alarms.
 * <p>
 * A member's read port answers only from its own state, so the read is made of two steps: the leader's revision,
 * read through the log (linearizable), then the member's status, asked again until the member has applied that
 * revision (what a linearizable read through a member waits for in etcd). The time is of those two steps, once the
 * member has answered a first status (which opens the client's read session with it). The member is unhealthy if it
 * does not answer, knows no leader, has not reached the revision within the command timeout, or if an alarm is
 * active (etcd's "Active Alarm(s)").
 */
final class HealthCheck
{
    private static final long POLL_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private HealthCheck()
    {
    }

    static ClusterReport.EndpointHealth check(final MetaStoreClient client, final MemberEndpoints.Member member)
    {
        long startNs = System.nanoTime();
        final long timeoutNs = client.context().requestTimeoutNs();
        try
        {
            // The first question opens a read session with the member: not part of the read timed, as etcdctl's
            // health check times its read on a client already connected.
            client.memberStatus(member.id());
            startNs = System.nanoTime();
            final long revision = client.get("health").header().revision();
            MemberStatus status = client.memberStatus(member.id());
            while (status.appliedRevision() < revision)
            {
                if (System.nanoTime() - startNs > timeoutNs)
                {
                    return unhealthy(member, startNs, "member " + member.id() + " has applied revision " +
                        status.appliedRevision() + ", behind the leader's " + revision + " after " +
                        TimeUnit.NANOSECONDS.toMillis(timeoutNs) + " ms");
                }
                LockSupport.parkNanos(POLL_INTERVAL_NS);
                status = client.memberStatus(member.id());
            }
            final long tookNs = System.nanoTime() - startNs;
            if (status.leaderMemberId() < 0 || MemberStatus.LEADER != status.role() && 0 != status.role())
            {
                return unhealthy(member, startNs, "member " + member.id() + " is a " + status.roleName() +
                    " that knows no leader");
            }

            final AlarmResult alarms = client.alarmList();
            if (!alarms.alarms().isEmpty())
            {
                final StringBuilder names = new StringBuilder();
                for (final AlarmMember alarm : alarms.alarms())
                {
                    names.append(names.length() > 0 ? ", " : "").append(alarm.alarm());
                }
                return unhealthy(member, startNs, "Active Alarm(s): " + names);
            }

            return new ClusterReport.EndpointHealth(member.endpoint(), true, tookNs, null);
        }
        catch (final RuntimeException ex)
        {
            return unhealthy(member, startNs, EtcdErrors.message(ex));
        }
    }

    private static ClusterReport.EndpointHealth unhealthy(
        final MemberEndpoints.Member member, final long startNs, final String error)
    {
        return new ClusterReport.EndpointHealth(member.endpoint(), false, System.nanoTime() - startNs, error);
    }
}
