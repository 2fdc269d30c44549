package io.metastore.client;

import io.aeron.ChannelUri;
import io.aeron.CommonContext;
import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import org.agrona.DirectBuffer;

/**
 * What {@link ClientConductor} uses of a session with the cluster: an {@link AeronCluster} in the client, a stub in
 * a test that must refuse or accept offers at will.
 */
interface ClusterSession extends AutoCloseable
{
    /**
     * Offer one ingress message.
     *
     * @param buffer holding the message.
     * @param offset of the message in the buffer.
     * @param length of the message.
     * @return the new position if sent, else a {@link io.aeron.Publication} error code: nothing was sent.
     */
    long offer(DirectBuffer buffer, int offset, int length);

    /**
     * Poll egress, delivering responses and events to the listener the session was connected with.
     *
     * @return the number of fragments read.
     */
    int pollEgress();

    /**
     * @return true once the session is closed and a new one is needed.
     */
    boolean isClosed();

    /**
     * @return the member the session believes leads the cluster.
     */
    int leaderMemberId();

    /**
     * @return the {@code host:port} of the leader's ingress, as the cluster names it, or null if not known (IPC).
     */
    default String leaderIngressEndpoint()
    {
        return null;
    }

    /**
     * Close the session.
     */
    void close();

    /**
     * @param aeronCluster connected.
     * @return the session of that connection.
     */
    static ClusterSession of(final AeronCluster aeronCluster)
    {
        return new AeronClusterSession(aeronCluster);
    }

    /**
     * A session of an {@link AeronCluster}.
     */
    final class AeronClusterSession implements ClusterSession
    {
        private final AeronCluster aeronCluster;

        AeronClusterSession(final AeronCluster aeronCluster)
        {
            this.aeronCluster = aeronCluster;
        }

        @Override
        public long offer(final DirectBuffer buffer, final int offset, final int length)
        {
            return aeronCluster.offer(buffer, offset, length);
        }

        @Override
        public int pollEgress()
        {
            return aeronCluster.pollEgress();
        }

        @Override
        public boolean isClosed()
        {
            return aeronCluster.isClosed();
        }

        @Override
        public int leaderMemberId()
        {
            return aeronCluster.leaderMemberId();
        }

        @Override
        public String leaderIngressEndpoint()
        {
            // None while a new leader's publication is being added.
            final Publication publication = aeronCluster.ingressPublication();
            return null == publication ? null :
                ChannelUri.parse(publication.channel()).get(CommonContext.ENDPOINT_PARAM_NAME);
        }

        @Override
        public void close()
        {
            aeronCluster.close();
        }
    }
}
