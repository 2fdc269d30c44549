package io.metastore.client;

import java.util.List;

/**
 * Result of an alarm request, as etcd's {@code AlarmResponse}: for a list, the active alarms; for an activate, the
 * alarm, now active; for a deactivate or a disarm, the alarms cleared (none if the alarm was not active).
 *
 * @param header of the response.
 * @param alarms listed, raised or cleared, ordered by member id then type.
 */
public record AlarmResult(ResponseHeader header, List<AlarmMember> alarms)
{
}
