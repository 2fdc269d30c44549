package io.metastore.node.replay;

import io.aeron.DirectBufferVector;
import io.aeron.cluster.service.ClientSession;
import io.aeron.logbuffer.BufferClaim;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The client session of the entry being replayed: keeps the responses the service sends for the entry, so a dump can
 * say what each request produced, and answers as a follower's session does.
 */
final class ReplaySession implements ClientSession
{
    private final ExpandableArrayBuffer responses = new ExpandableArrayBuffer(4096);
    private long id;
    private int length;

    void entry(final long clusterSessionId)
    {
        id = clusterSessionId;
        length = 0;
    }

    DirectBuffer responses()
    {
        return responses;
    }

    int responsesLength()
    {
        return length;
    }

    @Override
    public long id()
    {
        return id;
    }

    @Override
    public int responseStreamId()
    {
        return 0;
    }

    @Override
    public String responseChannel()
    {
        return "";
    }

    @Override
    public byte[] encodedPrincipal()
    {
        return new byte[0];
    }

    @Override
    public void close()
    {
    }

    @Override
    public boolean isClosing()
    {
        return false;
    }

    @Override
    public long offer(final DirectBuffer buffer, final int offset, final int length)
    {
        responses.putBytes(this.length, buffer, offset, length);
        this.length += length;

        return MOCKED_OFFER;
    }

    @Override
    public long offer(final DirectBufferVector[] vectors)
    {
        for (final DirectBufferVector vector : vectors)
        {
            offer(vector.buffer(), vector.offset(), vector.length());
        }

        return MOCKED_OFFER;
    }

    @Override
    public long tryClaim(final int length, final BufferClaim bufferClaim)
    {
        return MOCKED_OFFER;
    }
}
