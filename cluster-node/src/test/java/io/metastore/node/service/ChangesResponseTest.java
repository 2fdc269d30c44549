package io.metastore.node.service;

import io.metastore.codecs.ChangeType;
import io.metastore.codecs.ChangesResponseDecoder;
import io.metastore.codecs.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A read of changes answered through the service's encoder: puts with their values, deletes with an empty one.
 */
class ChangesResponseTest
{
    @TempDir
    File tempDir;

    private ServiceHarness harness;
    private final Requests requests = new Requests();

    @BeforeEach
    void before()
    {
        harness = new ServiceHarness(tempDir, 16, 64);
    }

    @AfterEach
    void after()
    {
        harness.close();
    }

    @Test
    void shouldEncodeTheChangesOfPutsAndDeletes()
    {
        harness.apply(requests.put(1, "a", "1").put(2, "b", "2").delete(3, "a", "").put(4, "a", "3").build());
        harness.commit();
        harness.egress.reset();

        harness.apply(requests.changes(5, "a", "c", 1, 0, 0).build());
        harness.commit();

        assertEquals(List.of("PUT a=1 @1", "PUT b=2 @2", "DELETE a= @3", "PUT a=3 @4"), changes());
        assertEquals(0, harness.errors().size());
    }

    private List<String> changes()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(harness.egress.toByteArray());
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        assertEquals(ChangesResponseDecoder.TEMPLATE_ID, header.templateId());
        final ChangesResponseDecoder decoder = new ChangesResponseDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        assertEquals(5, decoder.nextRevision());
        final List<String> changes = new ArrayList<>();
        for (final ChangesResponseDecoder.ChangesDecoder change : decoder.changes())
        {
            final ChangeType type = change.changeType();
            final long revision = change.modRevision();
            final byte[] key = new byte[change.keyLength()];
            change.getKey(key, 0, key.length);
            final byte[] value = new byte[change.valueLength()];
            change.getValue(value, 0, value.length);
            changes.add(type + " " + new String(key, StandardCharsets.UTF_8) + "=" +
                new String(value, StandardCharsets.UTF_8) + " @" + revision);
        }

        return changes;
    }
}
