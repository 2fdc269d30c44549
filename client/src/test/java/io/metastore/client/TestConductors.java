package io.metastore.client;

import org.agrona.concurrent.SystemNanoClock;

/**
 * A conductor for requests made in tests that never run one: a request's future needs it only to refuse a wait on
 * its thread.
 */
final class TestConductors
{
    private TestConductors()
    {
    }

    static ClientConductor conductor()
    {
        return new ClientConductor(
            new RequestRing(64 * 1024, 16, SystemNanoClock.INSTANCE),
            new SerializableReads(1, Long.MAX_VALUE, 16, 64 * 1024, new SeenRevision(), Throwable::printStackTrace),
            16,
            64 * 1024,
            Long.MAX_VALUE,
            SystemNanoClock.INSTANCE,
            Throwable::printStackTrace);
    }
}
