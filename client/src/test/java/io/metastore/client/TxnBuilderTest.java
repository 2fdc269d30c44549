package io.metastore.client;

import io.metastore.codecs.CompareResult;
import io.metastore.codecs.CompareTarget;
import io.metastore.protocol.KeyRanges;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.metastore.test.TestBytes.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TxnBuilderTest
{
    @Test
    void shouldReturnNewTransactionFromEachStepAndLeaveTheOriginalUnchanged()
    {
        final Txn empty = Txn.txn();
        final Txn guarded = empty.when(Compare.version("k", CompareResult.EQUAL, 0));
        final Txn full = guarded.then(Op.put("k", "v")).otherwise(Op.get("k"), Op.delete("j"));

        assertEquals(0, empty.compares().size() + empty.success().size() + empty.failure().size());
        assertEquals(1, guarded.compares().size());
        assertEquals(0, guarded.success().size());
        assertNotSame(guarded, full);
        assertEquals(1, full.success().size());
        assertEquals(List.of(Op.Type.RANGE, Op.Type.DELETE_RANGE), full.failure().stream().map(Op::type).toList());
        assertSame(full.compares().get(0), guarded.compares().get(0));
        assertThrows(UnsupportedOperationException.class, () -> full.success().add(Op.get("x")));
    }

    @Test
    void shouldAppendWhenAStepIsRepeated()
    {
        final Txn txn = Txn.txn()
            .when(Compare.modRevision("a", CompareResult.LESS, 5))
            .when(Compare.createRevision("b", CompareResult.GREATER, 1))
            .then(Op.put("a", "1"))
            .then(Op.put("b", "2"));

        assertEquals(List.of(CompareTarget.MOD, CompareTarget.CREATE),
            txn.compares().stream().map(Compare::target).toList());
        assertEquals(2, txn.success().size());
    }

    @Test
    void shouldRefuseNullCompareOrOp()
    {
        assertThrows(NullPointerException.class, () -> Txn.txn().when((Compare)null));
        assertThrows(NullPointerException.class, () -> Txn.txn().then((Op)null));
        assertThrows(NullPointerException.class, () -> Op.txn(null));
    }

    @Test
    void shouldCompareOneKeyUnlessGivenARange()
    {
        final Compare one = Compare.lease("dir/", CompareResult.NOT_EQUAL, 0x1F);
        final Compare prefix = one.withPrefix();
        final Compare fromKey = one.withFromKey();
        final Compare range = one.withRangeEnd(bytes("dir/z"));

        assertEquals(0, one.rangeEnd().length);
        assertArrayEquals(bytes("dir0"), prefix.rangeEnd());
        assertArrayEquals(KeyRanges.fromKey(), fromKey.rangeEnd());
        assertArrayEquals(bytes("dir/z"), range.rangeEnd());
        assertEquals(CompareTarget.LEASE, prefix.target());
        assertEquals(CompareResult.NOT_EQUAL, prefix.result());
        assertEquals(0x1F, prefix.targetValue());
    }

    @Test
    void shouldCopyKeysAndValuesInAndOut()
    {
        final byte[] key = bytes("k");
        final byte[] value = bytes("v");
        final Compare compare = Compare.value(key, CompareResult.EQUAL, value);
        key[0] = 'x';
        value[0] = 'x';
        compare.key()[0] = 'y';

        assertArrayEquals(bytes("k"), compare.key());
        assertArrayEquals(bytes("v"), compare.value());
        assertEquals(CompareTarget.VALUE, compare.target());
        assertEquals("Compare{VALUE(k) EQUAL v}", compare.toString());
    }

    @Test
    void shouldNestTransactionAsOneOperation()
    {
        final Txn inner = Txn.txn().then(Op.put("a", "1"));
        final Op op = Op.txn(inner);

        assertEquals(Op.Type.TXN, op.type());
        assertSame(inner, op.txn());
        assertEquals(0, op.key().length);
    }
}
