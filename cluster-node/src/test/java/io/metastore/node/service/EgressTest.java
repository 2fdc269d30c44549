package io.metastore.node.service;

import io.aeron.Publication;
import io.aeron.cluster.service.ClientSession;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EgressTest
{
    private final List<Throwable> errors = new ArrayList<>();
    private final Egress egress = new Egress(3, errors::add);
    private int offers;

    EgressTest()
    {
        egress.idleStrategy(NoOpIdleStrategy.INSTANCE);
    }

    @Test
    void shouldSendOnceWhenTheOfferSucceeds()
    {
        send(() -> offers < 3 ? Publication.BACK_PRESSURED : 64);

        assertEquals(3, offers);
        assertEquals(0, egress.dropped());
    }

    @Test
    void shouldDropAfterTheRetriesWhileBackPressured()
    {
        send(() -> Publication.BACK_PRESSURED);

        assertEquals(4, offers);
        assertEquals(1, egress.dropped(Egress.DropReason.BACK_PRESSURED));
        assertEquals(1, egress.dropped());
    }

    @Test
    void shouldCountEachDropByItsReasonWithoutRetrying()
    {
        send(() -> Publication.NOT_CONNECTED);
        send(() -> Publication.CLOSED);
        send(() -> Publication.MAX_POSITION_EXCEEDED);
        send(() ->
        {
            throw new IllegalArgumentException("message exceeds maxMessageLength");
        });

        assertEquals(4, offers);
        assertEquals(1, egress.dropped(Egress.DropReason.NOT_CONNECTED));
        assertEquals(1, egress.dropped(Egress.DropReason.CLOSED));
        assertEquals(1, egress.dropped(Egress.DropReason.MAX_POSITION_EXCEEDED));
        assertEquals(1, egress.dropped(Egress.DropReason.TOO_LONG));
        assertEquals(4, egress.dropped());
        assertEquals(1, errors.size(), "a response too long for the client is reported");
    }

    @Test
    void shouldTakeAMockedOfferOnAFollowerAsSent()
    {
        send(() -> ClientSession.MOCKED_OFFER);

        assertEquals(1, offers);
        assertEquals(0, egress.dropped());
    }

    private void send(final LongSupplier result)
    {
        egress.session((ClientSession)Proxy.newProxyInstance(
            ClientSession.class.getClassLoader(),
            new Class<?>[]{ ClientSession.class },
            (proxy, method, args) ->
            {
                if ("offer".equals(method.getName()))
                {
                    offers++;
                    return result.getAsLong();
                }
                throw new UnsupportedOperationException(method.getName());
            }));
        egress.send(new UnsafeBuffer(new byte[64]), 64);
    }
}
