package io.metastore.tools;

/**
 * The exit codes of the client verbs, etcdctl's (etcd 3.4's {@code etcdctl/ctlv3/command/error.go}), so that a
 * script written for etcdctl tells the same failures apart.
 */
final class ExitCodes
{
    /**
     * The verb did what was asked.
     */
    static final int SUCCESS = 0;

    /**
     * The cluster refused the request, or it could not be sent: no leader answered within the connect timeout,
     * or no response within the command timeout. Also, as etcdctl's flag parser, an unknown flag or verb and a
     * flag value of the wrong type.
     */
    static final int ERROR = 1;

    /**
     * A connection broke while the verb was using it: {@code lease keep-alive --once} of a lease that is gone,
     * as etcdctl.
     */
    static final int BAD_CONNECTION = 2;

    /**
     * The input read from stdin is malformed: a {@code txn} that does not parse.
     */
    static final int INVALID_INPUT = 3;

    /**
     * A feature that is not there: an output format, sort order or sort target that does not exist.
     */
    static final int BAD_FEATURE = 4;

    /**
     * Interrupted: a watch canceled by the member (compacted past), as etcdctl; etcdctl also uses it for snapshot.
     */
    static final int INTERRUPTED = 5;

    /**
     * An I/O error on a local file; etcdctl uses it for snapshot, which the command line does not have.
     */
    static final int IO = 6;

    /**
     * Bad arguments: a missing key or TTL, arguments that contradict each other, a lease id that is not hex.
     */
    static final int BAD_ARGS = 128;

    private ExitCodes()
    {
    }
}
