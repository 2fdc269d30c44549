package io.metastore.client;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultTextTest
{
    @Test
    void shouldPrintTimeToLiveKeysAsText()
    {
        final LeaseTimeToLiveResult result = new LeaseTimeToLiveResult(
            new ResponseHeader(1, 0, 5, 2), 0x2aL, 7, 10,
            List.of("job/1".getBytes(StandardCharsets.UTF_8), "job/2".getBytes(StandardCharsets.UTF_8)));

        assertEquals(
            "LeaseTimeToLiveResult[header=ResponseHeader[clusterId=1, memberId=0, revision=5, leadershipTermId=2], " +
            "id=42, ttlSeconds=7, grantedTtlSeconds=10, keys=[job/1, job/2]]",
            result.toString());
    }
}
