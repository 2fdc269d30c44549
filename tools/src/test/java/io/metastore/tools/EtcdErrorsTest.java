package io.metastore.tools;

import io.metastore.client.MetaStoreException;
import io.metastore.codecs.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EtcdErrorsTest
{
    @Test
    void shouldSayEtcdsWordsOnceWithTheDetailAfterThem()
    {
        assertEquals("LEASE_EXISTS: etcdserver: lease already exists (0000000000000abc)", EtcdErrors.message(
            new MetaStoreException(ErrorCode.LEASE_EXISTS, "lease already exists: 0000000000000abc")));
        assertEquals("COMPACTED: etcdserver: mvcc: required revision has been compacted (compacted revision 2)",
            EtcdErrors.message(new MetaStoreException(ErrorCode.COMPACTED,
            "mvcc: required revision has been compacted (compacted revision 2)")));
        assertEquals("KEY_NOT_FOUND: etcdserver: key not found", EtcdErrors.message(
            new MetaStoreException(ErrorCode.KEY_NOT_FOUND, "key not found")));
    }
}
