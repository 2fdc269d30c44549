package io.metastore.tools;

import io.metastore.client.HashKvResult;
import io.metastore.client.MemberStatus;
import io.metastore.client.ResponseHeader;
import io.metastore.node.ClusterMembers;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The output of {@code endpoint status|health|hashkv} and {@code member list} in each format, as etcdctl 3.4 prints
 * its own, with MetaStore's own columns and fields after etcd's:
 * <ul>
 *     <li>status: etcdctl's {@code ENDPOINT, ID, VERSION, DB SIZE, IS LEADER, RAFT TERM, RAFT INDEX,
 *     RAFT APPLIED INDEX, ERRORS} (the term is the Aeron leadership term, the index the commit position, the applied
 *     index the log position the store holds, errors a count), then {@code ROLE, LEADER, REVISION, COMPACTED,
 *     LOG SIZE, LOG START};</li>
 *     <li>health: {@code <endpoint> is healthy: successfully committed proposal: took = <duration>};</li>
 *     <li>hashkv: etcdctl's {@code ENDPOINT, HASH}, then {@code HASH REVISION, COMPACT REVISION};</li>
 *     <li>member list: etcdctl's {@code ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS, IS LEARNER} (peer addresses are
 *     the consensus, log, catch-up and archive endpoints, in that order; the client address the ingress), then
 *     {@code IS LEADER}.</li>
 * </ul>
 */
final class ClusterPrinting
{
    static final List<String> STATUS_HEADER = List.of("ENDPOINT", "ID", "VERSION", "DB SIZE", "IS LEADER",
        "RAFT TERM", "RAFT INDEX", "RAFT APPLIED INDEX", "ERRORS", "ROLE", "LEADER", "REVISION", "COMPACTED",
        "LOG SIZE", "LOG START");
    static final List<String> HEALTH_HEADER = List.of("ENDPOINT", "HEALTH", "TOOK", "ERROR");
    static final List<String> HASH_HEADER = List.of("ENDPOINT", "HASH", "HASH REVISION", "COMPACT REVISION");
    static final List<String> MEMBER_HEADER =
        List.of("ID", "STATUS", "NAME", "PEER ADDRS", "CLIENT ADDRS", "IS LEARNER", "IS LEADER");

    private static final String[] SIZES = { "B", "kB", "MB", "GB", "TB", "PB", "EB" };

    private ClusterPrinting()
    {
    }

    static List<List<String>> statusRows(final List<ClusterReport.EndpointStatus> statuses)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final ClusterReport.EndpointStatus row : statuses)
        {
            final MemberStatus status = row.status();
            rows.add(List.of(
                row.endpoint(),
                Integer.toHexString(status.memberId()),
                status.version(),
                bytes(status.storeBytes()),
                String.valueOf(status.isLeader()),
                String.valueOf(status.header().leadershipTermId()),
                String.valueOf(status.commitPosition()),
                String.valueOf(status.appliedPosition()),
                0 == status.errorCount() ? "" : String.valueOf(status.errorCount()),
                status.roleName(),
                String.valueOf(status.leaderMemberId()),
                String.valueOf(status.appliedRevision()),
                String.valueOf(status.compactRevision()),
                status.logBytes() < 0 ? "" : bytes(status.logBytes()),
                String.valueOf(status.logStartPosition())));
        }

        return rows;
    }

    static List<List<String>> healthRows(final List<ClusterReport.EndpointHealth> healths)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final ClusterReport.EndpointHealth health : healths)
        {
            rows.add(List.of(health.endpoint(), String.valueOf(health.healthy()), duration(health.tookNs()),
                null == health.error() ? "" : health.error()));
        }

        return rows;
    }

    static List<List<String>> hashRows(final List<ClusterReport.EndpointHash> hashes)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final ClusterReport.EndpointHash hash : hashes)
        {
            final HashKvResult result = hash.result();
            rows.add(List.of(hash.endpoint(), String.valueOf(result.hash()), String.valueOf(result.hashRevision()),
                String.valueOf(result.compactRevision())));
        }

        return rows;
    }

    static List<List<String>> memberRows(final List<ClusterReport.MemberRow> members)
    {
        final List<List<String>> rows = new ArrayList<>();
        for (final ClusterReport.MemberRow row : members)
        {
            final MemberEndpoints.Member member = row.member();
            rows.add(List.of(Integer.toHexString(member.id()), row.started() ? "started" : "unreachable",
                name(member), String.join(",", member.peerAddresses()), member.endpoint(), "false",
                String.valueOf(row.isLeader())));
        }

        return rows;
    }

    /**
     * @return each row's cells joined by {@code ", "}, a line each: etcdctl's simple output of a table.
     */
    static String simple(final List<List<String>> rows)
    {
        final StringBuilder sb = new StringBuilder();
        for (final List<String> row : rows)
        {
            sb.append(String.join(", ", row)).append('\n');
        }

        return sb.toString();
    }

    /**
     * @return etcdctl's simple health lines: the healthy ones; unhealthy members are named by the verb on stderr.
     */
    static String simpleHealth(final List<ClusterReport.EndpointHealth> healths)
    {
        final StringBuilder sb = new StringBuilder();
        for (final ClusterReport.EndpointHealth health : healths)
        {
            if (health.healthy())
            {
                sb.append(health.endpoint()).append(" is healthy: successfully committed proposal: took = ")
                    .append(duration(health.tookNs())).append('\n');
            }
        }

        return sb.toString();
    }

    /**
     * etcdctl's {@code []epStatus}: {@code [{"Endpoint":..., "Status":{"header":..., "version", "dbSize", "leader",
     * "raftIndex", "raftTerm", "raftAppliedIndex", ...MetaStore's}}]}.
     */
    static String jsonStatus(final List<ClusterReport.EndpointStatus> statuses)
    {
        final JsonWriter json = new JsonWriter().beginArray();
        for (final ClusterReport.EndpointStatus row : statuses)
        {
            final MemberStatus status = row.status();
            json.beginObject().name("Endpoint").value(row.endpoint()).name("Status").beginObject();
            header(json, status.header());
            json.name("version").value(status.version())
                .name("dbSize").value(status.storeBytes())
                .name("leader").value(status.leaderMemberId())
                .name("raftIndex").value(status.commitPosition())
                .name("raftTerm").value(status.header().leadershipTermId())
                .name("raftAppliedIndex").value(status.appliedPosition())
                .name("errorCount").value(status.errorCount())
                .name("role").value(status.roleName())
                .name("appliedRevision").value(status.appliedRevision())
                .name("compactRevision").value(status.compactRevision())
                .name("logSize").value(status.logBytes())
                .name("logStartPosition").value(status.logStartPosition())
                .name("counters").beginArray();
            for (final MemberStatus.Counter counter : status.counters())
            {
                json.beginObject().name("typeId").value(counter.typeId()).name("label").value(counter.label())
                    .name("value").value(counter.value()).endObject();
            }
            json.endArray().endObject().endObject();
        }

        return json.endArray() + "\n";
    }

    /**
     * etcdctl's {@code []epHealth}: {@code [{"endpoint":..., "health":..., "took":..., "error":...}]}, the error only
     * when there is one.
     */
    static String jsonHealth(final List<ClusterReport.EndpointHealth> healths)
    {
        final JsonWriter json = new JsonWriter().beginArray();
        for (final ClusterReport.EndpointHealth health : healths)
        {
            json.beginObject().name("endpoint").value(health.endpoint()).name("health").value(health.healthy())
                .name("took").value(duration(health.tookNs()));
            if (null != health.error())
            {
                json.name("error").value(health.error());
            }
            json.endObject();
        }

        return json.endArray() + "\n";
    }

    /**
     * etcdctl's {@code []epHashKV}: {@code [{"Endpoint":..., "HashKV":{"header":..., "hash", "compact_revision",
     * "hash_revision"}}]}.
     */
    static String jsonHash(final List<ClusterReport.EndpointHash> hashes)
    {
        final JsonWriter json = new JsonWriter().beginArray();
        for (final ClusterReport.EndpointHash hash : hashes)
        {
            final HashKvResult result = hash.result();
            json.beginObject().name("Endpoint").value(hash.endpoint()).name("HashKV").beginObject();
            header(json, result.header());
            json.name("hash").value(result.hash())
                .name("compact_revision").value(result.compactRevision())
                .name("hash_revision").value(result.hashRevision())
                .endObject().endObject();
        }

        return json.endArray() + "\n";
    }

    /**
     * etcd's {@code MemberListResponse}: {@code {"header":..., "members":[{"ID", "name", "peerURLs", "clientURLs",
     * ...MetaStore's endpoints by name and "isLeader"}]}}.
     */
    static String jsonMembers(final ResponseHeader header, final List<ClusterReport.MemberRow> members)
    {
        final JsonWriter json = new JsonWriter().beginObject();
        if (null != header)
        {
            header(json, header);
        }
        json.name("members").beginArray();
        for (final ClusterReport.MemberRow row : members)
        {
            final MemberEndpoints.Member member = row.member();
            json.beginObject().name("ID").value(member.id()).name("name").value(name(member))
                .name("peerURLs").beginArray();
            for (final String address : member.peerAddresses())
            {
                json.value(address);
            }
            json.endArray().name("clientURLs").beginArray().value(member.endpoint()).endArray()
                .name("ingress").value(member.endpoint())
                .name("consensus").value(member.address(ClusterMembers.CONSENSUS_OFFSET))
                .name("log").value(member.address(ClusterMembers.LOG_OFFSET))
                .name("catchup").value(member.address(ClusterMembers.CATCHUP_OFFSET))
                .name("archive").value(member.address(ClusterMembers.ARCHIVE_OFFSET))
                .name("read").value(member.address(ClusterMembers.READ_OFFSET))
                .name("started").value(row.started())
                .name("isLeader").value(row.isLeader())
                .endObject();
        }

        return json.endArray().endObject() + "\n";
    }

    /**
     * Go's {@code humanize.Bytes}, as etcdctl prints a database size: SI units, one decimal below 10.
     */
    static String bytes(final long size)
    {
        if (size < 10)
        {
            return size + " B";
        }
        final int exponent = (int)Math.floor(Math.log(size) / Math.log(1000));
        final double value = Math.floor(size / Math.pow(1000, exponent) * 10 + 0.5) / 10;
        // Go's fmt rounds the exact binary value half to even: 20.5 prints as 20, not as Java's %.0f prints it.
        return new BigDecimal(value).setScale(value < 10 ? 1 : 0, RoundingMode.HALF_EVEN).toPlainString() + " " +
            SIZES[exponent];
    }

    /**
     * Go's {@code time.Duration.String()}, as etcdctl prints how long a health check took: {@code 512ns},
     * {@code 1.5µs}, {@code 2.103456ms}, {@code 1.2s}.
     */
    static String duration(final long ns)
    {
        if (ns < 1_000)
        {
            return ns + "ns";
        }
        if (ns < 1_000_000)
        {
            return decimal(ns, 1_000, 3) + "µs";
        }
        if (ns < 1_000_000_000)
        {
            return decimal(ns, 1_000_000, 6) + "ms";
        }
        return decimal(ns, 1_000_000_000, 9) + "s";
    }

    private static String decimal(final long ns, final long unit, final int digits)
    {
        final String fraction = String.format(Locale.ROOT, "%0" + digits + "d", ns % unit).replaceAll("0+$", "");
        return (ns / unit) + (fraction.isEmpty() ? "" : "." + fraction);
    }

    private static String name(final MemberEndpoints.Member member)
    {
        return "member-" + member.id();
    }

    private static void header(final JsonWriter json, final ResponseHeader header)
    {
        json.name("header").beginObject()
            .name("cluster_id").value(Integer.toUnsignedLong(header.clusterId()))
            .name("member_id").value(Integer.toUnsignedLong(header.memberId()))
            .name("revision").value(header.revision())
            .name("raft_term").value(header.leadershipTermId())
            .endObject();
    }
}
