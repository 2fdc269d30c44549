package io.metastore.client;

import io.metastore.codecs.ErrorCode;

/**
 * A serializable read was refused by the member that serves it because the member has not applied, within its
 * bound, the revision the read must reflect: the highest this client has seen. Nothing was read, and nothing is
 * applied by a read either way, so the read may be sent again: the member may have caught up by then, or the
 * read may be made linearizable. Its {@link #code()} is {@link ErrorCode#MEMBER_BEHIND}.
 */
public final class MemberBehindException extends MetaStoreException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message from the member.
     */
    public MemberBehindException(final String message)
    {
        super(ErrorCode.MEMBER_BEHIND, message);
    }

    @Override
    public boolean isRetryable()
    {
        return true;
    }
}
