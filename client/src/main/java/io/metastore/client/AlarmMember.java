package io.metastore.client;

import io.metastore.codecs.AlarmType;

/**
 * An alarm of one member, as etcd's {@code AlarmMember}.
 *
 * @param memberId of the member the alarm is for.
 * @param alarm    its type.
 */
public record AlarmMember(long memberId, AlarmType alarm)
{
}
