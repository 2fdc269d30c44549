package io.metastore.protocol;

import io.metastore.codecs.MessageHeaderDecoder;
import io.metastore.codecs.PutRequestDecoder;
import io.metastore.codecs.RequestHeaderDecoder;

/**
 * Constants of the MetaStore wire protocol.
 * <p>
 * An ingress message carries one or more requests back to back, each a complete SBE message. Every request's
 * block starts with a {@code requestHeader}, so its correlation id sits at a fixed offset whatever its template.
 */
public final class Protocol
{
    /**
     * Correlation id used on an error response to bytes whose correlation id could not be read.
     */
    public static final long NULL_CORRELATION_ID = -1;

    /**
     * Offset of the correlation id from the start of a request, header included.
     */
    public static final int CORRELATION_ID_OFFSET =
        MessageHeaderDecoder.ENCODED_LENGTH + PutRequestDecoder.headerEncodingOffset() +
        RequestHeaderDecoder.correlationIdEncodingOffset();

    /**
     * Length of the length prefix of every variable length field.
     */
    public static final int VAR_DATA_LENGTH_PREFIX = 4;

    /**
     * Most entries an SBE group of the schema holds (its count is a uint16 whose largest value is SBE's null), so
     * the most entries a list in a response holds.
     */
    public static final int MAX_GROUP_ENTRIES = 65_534;

    /**
     * A member's read port (watches, serializable reads) is its ingress port plus this: a client that knows a
     * member's ingress endpoint knows its read port.
     */
    public static final int READ_PORT_OFFSET = 5;

    /**
     * Stream id of a member's read port.
     */
    public static final int READ_STREAM_ID = 1101;

    /**
     * Stream id a client's read session is answered on, unless it asks for another.
     */
    public static final int READ_RESPONSE_STREAM_ID = 1102;

    /**
     * Watch id of a {@code WatchProgress} that speaks for every watch of the session.
     */
    public static final long ALL_WATCHES = -1;

    private Protocol()
    {
    }
}
