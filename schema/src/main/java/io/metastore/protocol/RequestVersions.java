package io.metastore.protocol;

import io.metastore.codecs.AlarmRequestEncoder;
import io.metastore.codecs.ChangesRequestEncoder;
import io.metastore.codecs.CompactRequestEncoder;
import io.metastore.codecs.DefragmentRequestEncoder;
import io.metastore.codecs.DeleteRangeRequestEncoder;
import io.metastore.codecs.LeaseGrantRequestEncoder;
import io.metastore.codecs.LeaseKeepAliveRequestEncoder;
import io.metastore.codecs.LeaseListRequestEncoder;
import io.metastore.codecs.LeaseRevokeRequestEncoder;
import io.metastore.codecs.LeaseTimeToLiveRequestEncoder;
import io.metastore.codecs.MessageHeaderEncoder;
import io.metastore.codecs.PutRequestEncoder;
import io.metastore.codecs.RangeRequestEncoder;
import io.metastore.codecs.TxnRequestEncoder;

/**
 * The oldest schema version that reads a request of the log whole: the highest {@code sinceVersion} of the message,
 * its fields and the types they use. A client stamps a request with it rather than with its own schema version.
 * <p>
 * A member refuses a request stamped with a newer version than its own. In a cluster whose members run two versions,
 * as while they are upgraded one by one, a request stamped with a newer client's own version would be refused by the
 * older members and applied by the newer ones, and their states would part. Stamped with the oldest version that
 * reads it, a request every member can read is read by every member; one that uses what only a newer version has is
 * still refused by the older ones, and a version that changed what a request does without a new field is not covered.
 * A range is 3 for {@code minRevision}, which only the read port reads. {@code RequestVersionsTest} checks this table
 * against the schema.
 */
public final class RequestVersions
{
    private RequestVersions()
    {
    }

    /**
     * @param templateId of a request.
     * @return the oldest schema version that reads it whole; this schema's version for a request not in the table.
     */
    public static int oldestReading(final int templateId)
    {
        return switch (templateId)
        {
            case PutRequestEncoder.TEMPLATE_ID, DeleteRangeRequestEncoder.TEMPLATE_ID, TxnRequestEncoder.TEMPLATE_ID,
                LeaseGrantRequestEncoder.TEMPLATE_ID, LeaseRevokeRequestEncoder.TEMPLATE_ID,
                LeaseKeepAliveRequestEncoder.TEMPLATE_ID, LeaseTimeToLiveRequestEncoder.TEMPLATE_ID,
                LeaseListRequestEncoder.TEMPLATE_ID -> 0;
            case AlarmRequestEncoder.TEMPLATE_ID -> 1;
            case CompactRequestEncoder.TEMPLATE_ID, DefragmentRequestEncoder.TEMPLATE_ID,
                ChangesRequestEncoder.TEMPLATE_ID -> 2;
            case RangeRequestEncoder.TEMPLATE_ID -> 3;
            default -> MessageHeaderEncoder.SCHEMA_VERSION;
        };
    }
}
