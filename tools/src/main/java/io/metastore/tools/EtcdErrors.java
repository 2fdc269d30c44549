package io.metastore.tools;

import io.aeron.exceptions.AeronException;
import io.metastore.client.LeaderChangedException;
import io.metastore.client.MetaStoreException;
import io.metastore.client.MetaStoreTimeoutException;
import io.metastore.codecs.ErrorCode;

/**
 * The one line a failed request prints after {@code Error: }: MetaStore's error code, then etcd's wording of the
 * same error where etcd has one (its {@code rpctypes} and {@code mvcc} errors, as etcdctl prints them), then
 * MetaStore's detail when it adds to that, e.g.
 * {@code LEASE_NOT_FOUND: etcdserver: requested lease not found (lease not found: 0000000000000123)}.
 * A scripted check for etcd's wording, or for MetaStore's code, matches either way.
 */
final class EtcdErrors
{
    /**
     * etcd's wording of a request that ran out of time, as etcdctl prints it.
     */
    static final String DEADLINE_EXCEEDED = "context deadline exceeded";

    private EtcdErrors()
    {
    }

    /**
     * @param code of a refused request.
     * @return etcd's message for the same refusal, or null if etcd has none.
     */
    static String etcdWording(final ErrorCode code)
    {
        if (null == code)
        {
            return null;
        }

        return switch (code)
        {
            case EMPTY_KEY -> "etcdserver: key is not provided";
            case KEY_NOT_FOUND -> "etcdserver: key not found";
            case KEY_TOO_LARGE, VALUE_TOO_LARGE, REQUEST_TOO_LARGE -> "etcdserver: request is too large";
            case TOO_MANY_OPERATIONS -> "etcdserver: too many operations in txn request";
            case DUPLICATE_KEY -> "etcdserver: duplicate key given in txn request";
            case COMPACTED -> "etcdserver: mvcc: required revision has been compacted";
            case FUTURE_REVISION -> "etcdserver: mvcc: required revision is a future revision";
            case NO_SPACE -> "etcdserver: mvcc: database space exceeded";
            case LEASE_NOT_FOUND -> "etcdserver: requested lease not found";
            case LEASE_EXISTS -> "etcdserver: lease already exists";
            case TTL_OUT_OF_RANGE -> "etcdserver: too large lease TTL";
            default -> null;
        };
    }

    /**
     * The message of a failure for {@code Error: <message>}.
     *
     * @param throwable that failed the verb.
     * @return a one line message.
     */
    static String message(final Throwable throwable)
    {
        final String message = withoutAeronCategory(throwable);
        if (throwable instanceof MetaStoreTimeoutException)
        {
            return DEADLINE_EXCEEDED + " (" + message + ")";
        }
        if (throwable instanceof LeaderChangedException)
        {
            return "etcdserver: leader changed (" + message + ")";
        }
        if (throwable instanceof MetaStoreException ex && null != ex.code())
        {
            final String wording = etcdWording(ex.code());
            if (null != wording)
            {
                final String prefix = ex.code() + ": ";
                String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
                // A detail that begins with etcd's words says them once: "...compacted (compacted revision 2)".
                final String bare = wording.substring(wording.indexOf(' ') + 1);
                if (detail.startsWith(bare) && detail.length() > bare.length())
                {
                    detail = detail.substring(bare.length()).trim();
                    if (detail.startsWith(":"))
                    {
                        detail = detail.substring(1).trim();
                    }
                    if (detail.startsWith("(") && detail.endsWith(")"))
                    {
                        detail = detail.substring(1, detail.length() - 1);
                    }
                }
                return prefix + wording + (wording.endsWith(detail) ? "" : " (" + detail + ")");
            }
        }

        return message;
    }

    /**
     * @param throwable that failed.
     * @return its message without the category prefix Aeron gives its own, or its class if it has none.
     */
    static String withoutAeronCategory(final Throwable throwable)
    {
        String message = throwable.getMessage();
        if (null == message)
        {
            return throwable.toString();
        }
        if (throwable instanceof AeronException aeronException)
        {
            final String prefix = aeronException.category() + " - ";
            if (message.startsWith(prefix))
            {
                message = message.substring(prefix.length());
            }
        }

        return message;
    }
}
