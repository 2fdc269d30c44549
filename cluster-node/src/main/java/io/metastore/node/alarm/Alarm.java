package io.metastore.node.alarm;

import io.metastore.codecs.AlarmType;

/**
 * One active alarm: etcd's {@code AlarmMember}.
 *
 * @param memberId of the member that raised it.
 * @param type     of the alarm, never {@link AlarmType#NONE}.
 */
public record Alarm(long memberId, AlarmType type)
{
}
