package io.metastore.node.alarm;

import io.metastore.codecs.AlarmType;
import io.metastore.node.storage.KvStorage;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The active alarms, in memory and, through the storage's batch, on disk as one record, so they are written in the
 * same atomic commit as everything else. Changed only by the state machine, so it is the same on every replica.
 * <p>
 * Alarms are few and change rarely: the table allocates when one changes; asking whether writes are refused
 * ({@link #isNoSpace()}) does not.
 */
public final class AlarmTable
{
    /**
     * Bytes of one alarm in the stored record: member id (big-endian), then the alarm type.
     */
    public static final int RECORD_ENTRY_LENGTH = Long.BYTES + 1;

    private static final Comparator<Alarm> ORDER =
        Comparator.comparingLong(Alarm::memberId).thenComparingInt(alarm -> alarm.type().value());

    private final ArrayList<Alarm> alarms = new ArrayList<>();
    private final KvStorage storage;
    private boolean isNoSpace;

    /**
     * @param storage to persist the alarms in.
     */
    public AlarmTable(final KvStorage storage)
    {
        this.storage = storage;
    }

    /**
     * Forget every alarm and read them from storage: at start and after a snapshot replaced storage.
     */
    public void reloadFromStorage()
    {
        alarms.clear();
        decode(storage.alarms(), alarms);
        isNoSpace = contains(AlarmType.NOSPACE);
    }

    /**
     * @return true while a {@link AlarmType#NOSPACE} alarm is active, for any member.
     */
    public boolean isNoSpace()
    {
        return isNoSpace;
    }

    /**
     * @return the number of active alarms.
     */
    public int size()
    {
        return alarms.size();
    }

    /**
     * The active alarms of a type, ordered by member id then type.
     *
     * @param type   to list, or {@link AlarmType#NONE} for every one.
     * @param result to fill; cleared first.
     */
    public void list(final AlarmType type, final List<Alarm> result)
    {
        result.clear();
        for (final Alarm alarm : alarms)
        {
            if (AlarmType.NONE == type || alarm.type() == type)
            {
                result.add(alarm);
            }
        }
    }

    /**
     * Raise an alarm; raising one that is already active changes nothing.
     *
     * @param memberId of the member raising it.
     * @param type     of the alarm, not {@link AlarmType#NONE}.
     * @return the alarm, active.
     */
    public Alarm activate(final long memberId, final AlarmType type)
    {
        final Alarm alarm = new Alarm(memberId, type);
        final int index = indexOf(alarm);
        if (index >= 0)
        {
            return alarms.get(index);
        }

        alarms.add(-index - 1, alarm);
        changed();
        return alarm;
    }

    /**
     * Clear an alarm, or every alarm.
     *
     * @param memberId of the member whose alarm to clear; unused for {@link AlarmType#NONE}.
     * @param type     of the alarm, or {@link AlarmType#NONE} for every active alarm of every member.
     * @param cleared  to fill with the alarms cleared; cleared first. Clearing one that is not active clears nothing.
     */
    public void deactivate(final long memberId, final AlarmType type, final List<Alarm> cleared)
    {
        cleared.clear();
        if (AlarmType.NONE == type)
        {
            cleared.addAll(alarms);
            alarms.clear();
        }
        else
        {
            final int index = indexOf(new Alarm(memberId, type));
            if (index >= 0)
            {
                cleared.add(alarms.remove(index));
            }
        }

        if (!cleared.isEmpty())
        {
            changed();
        }
    }

    /**
     * Encode alarms as stored: {@link #RECORD_ENTRY_LENGTH} bytes each.
     *
     * @param alarms to encode.
     * @return the record, or null when there are none.
     */
    public static byte[] encode(final List<Alarm> alarms)
    {
        if (alarms.isEmpty())
        {
            return null;
        }

        final byte[] record = new byte[alarms.size() * RECORD_ENTRY_LENGTH];
        final UnsafeBuffer buffer = new UnsafeBuffer(record);
        int offset = 0;
        for (final Alarm alarm : alarms)
        {
            buffer.putLong(offset, alarm.memberId(), ByteOrder.BIG_ENDIAN);
            buffer.putByte(offset + Long.BYTES, (byte)alarm.type().value());
            offset += RECORD_ENTRY_LENGTH;
        }

        return record;
    }

    /**
     * Decode a stored record.
     *
     * @param record as {@link #encode(List)} wrote it, or null for none.
     * @param alarms to add the alarms to, in the stored order.
     */
    public static void decode(final byte[] record, final List<Alarm> alarms)
    {
        if (null == record)
        {
            return;
        }

        final UnsafeBuffer buffer = new UnsafeBuffer(record);
        for (int offset = 0; offset + RECORD_ENTRY_LENGTH <= record.length; offset += RECORD_ENTRY_LENGTH)
        {
            alarms.add(new Alarm(
                buffer.getLong(offset, ByteOrder.BIG_ENDIAN),
                AlarmType.get((short)(buffer.getByte(offset + Long.BYTES) & 0xFF))));
        }
    }

    private boolean contains(final AlarmType type)
    {
        for (final Alarm alarm : alarms)
        {
            if (alarm.type() == type)
            {
                return true;
            }
        }

        return false;
    }

    private int indexOf(final Alarm alarm)
    {
        return Collections.binarySearch(alarms, alarm, ORDER);
    }

    private void changed()
    {
        storage.putAlarms(encode(alarms));
        isNoSpace = contains(AlarmType.NOSPACE);
    }
}
