package io.metastore.node.metrics;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * MetaStore's own Aeron counters: the one place their type ids, labels and Prometheus names are defined.
 * <p>
 * They live in the member's media driver beside Aeron's own, so Aeron's {@code AeronStat} shows them, and every
 * counter whose type id is in [{@link #MIN_TYPE_ID}, {@link #TYPE_ID_LIMIT}) is MetaStore's. The service's are
 * allocated by the clustered service's Aeron client when it starts, the read port's by the read port's client; each
 * is freed with the client that allocated it. Each counter has one writer (the service thread, or the read port's
 * thread), which bumps it with a release store, as Aeron's single writer counters are: no atomic instruction and no
 * allocation on the hot path.
 * <p>
 * A family of counters (requests applied by kind, refused by error code, responses dropped by reason) shares a type
 * id; each counter's key holds its subject as one int (the request's template id, the error code's value, the drop
 * reason's ordinal) and its label ends with the subject's name after {@code ": "}, e.g.
 * {@code "metastore requests applied: put"}.
 */
public final class MetaStoreCounters
{
    /**
     * Lowest type id of MetaStore's counters.
     */
    public static final int MIN_TYPE_ID = 9000;

    /**
     * One past the highest type id MetaStore's counters may take.
     */
    public static final int TYPE_ID_LIMIT = 9100;

    /**
     * Requests answered without an error, by kind (key: the request's template id). A follower counts what it
     * applies too: every member applies every entry.
     */
    public static final int REQUESTS_APPLIED_TYPE_ID = 9000;

    /**
     * Requests answered with an error, by error code (key: the code's value), whether the request's bytes or the
     * state refused it. Applied plus refused is every request answered.
     */
    public static final int REQUESTS_REFUSED_TYPE_ID = 9001;

    /**
     * Responses the leader could not send, by reason (key: the reason's ordinal). Followers send none.
     */
    public static final int RESPONSES_DROPPED_TYPE_ID = 9002;

    /**
     * Atomic writes to RocksDB: one per batch committed (a poll of the log).
     */
    public static final int ROCKSDB_WRITES_TYPE_ID = 9003;

    /**
     * Updates (puts and deletes of RocksDB keys) in those writes.
     */
    public static final int ROCKSDB_UPDATES_TYPE_ID = 9004;

    /**
     * Log entries (client messages, timer events, new leadership terms) committed: with
     * {@link #ROCKSDB_WRITES_TYPE_ID}, the entries per batch.
     */
    public static final int ENTRIES_COMMITTED_TYPE_ID = 9005;

    /**
     * Log entries of the last batch committed.
     */
    public static final int LAST_BATCH_ENTRIES_TYPE_ID = 9006;

    /**
     * The revision last committed to RocksDB.
     */
    public static final int COMMITTED_REVISION_TYPE_ID = 9007;

    /**
     * Leases live, as of the last commit.
     */
    public static final int LEASES_TYPE_ID = 9008;

    /**
     * Read sessions open on the member's read port.
     */
    public static final int READ_SESSIONS_TYPE_ID = 9009;

    /**
     * Watches open on the member's read port.
     */
    public static final int WATCHERS_TYPE_ID = 9010;

    /**
     * Watch events the read port has sent, one sent for n watches counting n.
     */
    public static final int WATCH_EVENTS_SENT_TYPE_ID = 9011;

    /**
     * Type id of the compacted revision: reads at or below it are refused.
     */
    public static final int COMPACTED_REVISION_TYPE_ID = 9012;

    /**
     * Type id of the compacted revision below which the member has removed history from disk.
     */
    public static final int HISTORY_REMOVED_REVISION_TYPE_ID = 9013;

    /**
     * Length of a family counter's key: its subject, one int.
     */
    public static final int KEY_LENGTH = Integer.BYTES;

    private static final Metric[] METRICS =
    {
        new Metric(REQUESTS_APPLIED_TYPE_ID, "metastore requests applied", "metastore_requests_applied_total",
            true, "kind", "Requests answered without an error, by kind; followers count what they apply."),
        new Metric(REQUESTS_REFUSED_TYPE_ID, "metastore requests refused", "metastore_requests_refused_total",
            true, "code", "Requests answered with an error, by error code."),
        new Metric(RESPONSES_DROPPED_TYPE_ID, "metastore responses dropped", "metastore_responses_dropped_total",
            true, "reason", "Responses that could not be sent to their client, by reason."),
        new Metric(ROCKSDB_WRITES_TYPE_ID, "metastore rocksdb writes", "metastore_rocksdb_writes_total",
            true, null, "Atomic writes to RocksDB, one per batch of log entries committed."),
        new Metric(ROCKSDB_UPDATES_TYPE_ID, "metastore rocksdb updates", "metastore_rocksdb_updates_total",
            true, null, "Puts and deletes of RocksDB keys in those writes."),
        new Metric(ENTRIES_COMMITTED_TYPE_ID, "metastore log entries committed",
            "metastore_log_entries_committed_total", true, null,
            "Log entries committed to RocksDB; per batch: rate of this over rate of metastore_rocksdb_writes_total."),
        new Metric(LAST_BATCH_ENTRIES_TYPE_ID, "metastore last batch entries", "metastore_last_batch_entries",
            false, null, "Log entries of the last batch committed to RocksDB."),
        new Metric(COMMITTED_REVISION_TYPE_ID, "metastore committed revision", "metastore_committed_revision",
            false, null, "The revision last committed to RocksDB."),
        new Metric(LEASES_TYPE_ID, "metastore leases live", "metastore_leases",
            false, null, "Leases live, as of the last commit."),
        new Metric(READ_SESSIONS_TYPE_ID, "metastore read sessions", "metastore_read_sessions",
            false, null, "Read sessions open on the member's read port."),
        new Metric(WATCHERS_TYPE_ID, "metastore watchers live", "metastore_watchers",
            false, null, "Watches open on the member's read port."),
        new Metric(WATCH_EVENTS_SENT_TYPE_ID, "metastore watch events sent", "metastore_watch_events_sent_total",
            true, null, "Watch events the member's read port has sent, one sent for n watches counting n."),
        new Metric(COMPACTED_REVISION_TYPE_ID, "metastore compacted revision", "metastore_compacted_revision",
            false, null, "The compacted revision: reads at or below it are refused."),
        new Metric(HISTORY_REMOVED_REVISION_TYPE_ID, "metastore history removed revision",
            "metastore_history_removed_revision", false, null, "The compacted revision below which this member has " +
            "removed history from disk; behind metastore_compacted_revision while removal runs."),
    };

    private MetaStoreCounters()
    {
    }

    /**
     * How a MetaStore counter reads in Prometheus' text format.
     *
     * @param typeId    of the counter.
     * @param label     of the counter, or the start of it for a family (its subject follows after {@code ": "}).
     * @param name      of the metric.
     * @param isCounter true for a counter (only ever rises), false for a gauge.
     * @param labelName of the subject for a family, null for a single counter.
     * @param help      what the metric counts.
     */
    public record Metric(int typeId, String label, String name, boolean isCounter, String labelName, String help)
    {
    }

    /**
     * Something that allocates counters: {@code Aeron::addCounter} for a running member, {@code
     * CountersManager::newCounter} for one in memory.
     */
    @FunctionalInterface
    public interface CounterFactory
    {
        /**
         * Allocate a counter.
         *
         * @param typeId      of the counter.
         * @param keyBuffer   holding its key.
         * @param keyOffset   of the key.
         * @param keyLength   of the key.
         * @param labelBuffer holding its label.
         * @param labelOffset of the label.
         * @param labelLength of the label.
         * @return the counter.
         */
        AtomicCounter newCounter(
            int typeId,
            DirectBuffer keyBuffer,
            int keyOffset,
            int keyLength,
            DirectBuffer labelBuffer,
            int labelOffset,
            int labelLength);
    }

    /**
     * @param typeId of a counter.
     * @return true if the type id is one of MetaStore's range.
     */
    public static boolean isMetaStoreTypeId(final int typeId)
    {
        return typeId >= MIN_TYPE_ID && typeId < TYPE_ID_LIMIT;
    }

    /**
     * @return how every MetaStore counter reads in Prometheus' text format, in type id order.
     */
    public static List<Metric> metrics()
    {
        return List.of(METRICS);
    }

    /**
     * @param typeId of a counter.
     * @return how it reads in Prometheus' text format, or null if it is not one this build defines.
     */
    public static Metric metric(final int typeId)
    {
        for (final Metric metric : METRICS)
        {
            if (metric.typeId() == typeId)
            {
                return metric;
            }
        }

        return null;
    }

    /**
     * Allocate a single counter, its label the type's.
     *
     * @param factory to allocate with.
     * @param typeId  of the counter.
     * @return the counter.
     */
    public static AtomicCounter newCounter(final CounterFactory factory, final int typeId)
    {
        final byte[] label = metric(typeId).label().getBytes(StandardCharsets.US_ASCII);
        return factory.newCounter(typeId, new UnsafeBuffer(new byte[0]), 0, 0, new UnsafeBuffer(label), 0,
            label.length);
    }

    /**
     * Allocate a counter of a family.
     *
     * @param factory     to allocate with.
     * @param typeId      of the family.
     * @param subject     its key: the template id, error code or reason it counts.
     * @param subjectName ends its label: {@code "<the family's label>: <subjectName>"}.
     * @return the counter.
     */
    public static AtomicCounter newCounter(
        final CounterFactory factory, final int typeId, final int subject, final String subjectName)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[KEY_LENGTH]);
        key.putInt(0, subject);
        final byte[] label = (metric(typeId).label() + ": " + subjectName).getBytes(StandardCharsets.US_ASCII);
        return factory.newCounter(typeId, key, 0, KEY_LENGTH, new UnsafeBuffer(label), 0, label.length);
    }

    /**
     * Counters of a small buffer of their own, read by nothing but tests: for a service or read port built without a
     * media driver.
     *
     * @return a factory of counters in memory.
     */
    public static CounterFactory inMemory()
    {
        return inMemoryCounters()::newCounter;
    }

    /**
     * @return a counters manager over buffers of its own, with room for every counter of a member (128).
     */
    public static CountersManager inMemoryCounters()
    {
        // Aligned as a driver's counters file is: Agrona warns of a buffer over a byte[], which may not be.
        final int counters = 128;
        return new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(counters * CountersReader.METADATA_LENGTH, 64)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(counters * CountersReader.COUNTER_LENGTH, 64)),
            StandardCharsets.US_ASCII);
    }
}
