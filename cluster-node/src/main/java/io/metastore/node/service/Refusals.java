package io.metastore.node.service;

import io.metastore.codecs.ErrorCode;
import io.metastore.node.kv.KvStateMachine;

/**
 * How a request is refused: an error response with a code and a message on its correlation id, at the current
 * revision, and nothing else changes. The one name for it, shared by the parts of the ingress decoder.
 * <p>
 * Two kinds: a request whose extent cannot be trusted, so that the rest of its ingress message cannot be framed
 * either and is refused with it ({@link #refuse(ErrorCode, String)}); and a well framed request, after which the
 * next request of the message is still read ({@link #refuse(int, ErrorCode, String)}).
 */
final class Refusals
{
    private final KvStateMachine stateMachine;
    private final ResponseEncoder responder;
    private boolean isRefused;

    Refusals(final KvStateMachine stateMachine, final ResponseEncoder responder)
    {
        this.stateMachine = stateMachine;
        this.responder = responder;
    }

    /**
     * Start on the next request: nothing refused yet.
     */
    void reset()
    {
        isRefused = false;
    }

    /**
     * @return true if the request being read was refused.
     */
    boolean isRefused()
    {
        return isRefused;
    }

    /**
     * Refuse a request whose extent cannot be trusted: the rest of the ingress message is refused with it.
     *
     * @param code    of the error.
     * @param message of the error.
     * @return -1, the length of a request that cannot be framed.
     */
    int refuse(final ErrorCode code, final String message)
    {
        isRefused = true;
        responder.onError(stateMachine.revision(), code, message);
        return -1;
    }

    /**
     * Refuse a well framed request: the next request of the ingress message is still read.
     *
     * @param length  of the request.
     * @param code    of the error.
     * @param message of the error.
     * @return the length of the request, to move past it.
     */
    int refuse(final int length, final ErrorCode code, final String message)
    {
        isRefused = true;
        responder.onError(stateMachine.revision(), code, message);
        return length;
    }
}
