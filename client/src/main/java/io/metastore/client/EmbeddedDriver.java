package io.metastore.client;

import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentInvoker;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The client's own media driver run on the client's threads (Aeron's {@code ThreadingMode.INVOKER}) rather than on a
 * thread of its own. The client's I/O thread runs a duty cycle of the driver before each of its own
 * ({@link #withDriver(Agent)}), so a request goes from the I/O thread to the socket, and an answer from the socket to
 * the I/O thread, without a hand-off: with the back-off idle strategy each hand-off was a wake-up of a parked thread.
 * <p>
 * Aeron's client then runs its own conductor on the invoking threads too ({@code useConductorAgentInvoker}, which
 * Aeron requires with a driver invoker): the I/O thread, and the connect loop before the I/O thread starts, invoke
 * both. Aeron's client also runs the driver while a caller's thread waits for the driver's answer to a blocking call
 * (adding a publication, as a snapshot transfer does), through {@link #awaitingInvoker()}. A lock keeps one thread at
 * a time in the driver; the I/O thread passes over its turn while another thread has it, the driver being run
 * meanwhile. Aeron's conductor has a lock of its own.
 */
final class EmbeddedDriver
{
    /**
     * The driver's client liveness timeout and the client's driver timeout when both run on the I/O thread: they
     * stop and go together, so a stall of that thread (a callback that takes seconds) must not make either take the
     * other for dead when it runs again; with Aeron's 10 s, one did, and the client never came back.
     */
    static final long LIVENESS_TIMEOUT_NS = TimeUnit.MINUTES.toNanos(10);

    /**
     * The driver's publication unblock timeout is kept this far above the liveness timeout, as Aeron requires.
     */
    static final long UNBLOCK_MARGIN_NS = TimeUnit.SECONDS.toNanos(15);

    /**
     * Longest the driver is run after the I/O thread's last duty cycle, to send what it offered.
     */
    static final long CLOSE_SEND_TIMEOUT_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final int CLOSE_IDLE_CYCLES = 100;

    private final AgentInvoker driverInvoker;
    private final ReentrantLock lock = new ReentrantLock();
    private final AgentInvoker awaitingInvoker;
    private AgentInvoker clientConductorInvoker;

    /**
     * @param driverInvoker the media driver's invoker, started.
     * @param errorHandler  for an error escaping a duty cycle of the driver.
     */
    EmbeddedDriver(final AgentInvoker driverInvoker, final ErrorHandler errorHandler)
    {
        this.driverInvoker = driverInvoker;
        awaitingInvoker = new AgentInvoker(errorHandler, null, new Agent()
        {
            public int doWork()
            {
                return invokeDriver();
            }

            public String roleName()
            {
                return "metastore-client-driver";
            }
        });
        awaitingInvoker.start();
    }

    /**
     * @param clientConductorInvoker of the Aeron client connected to the driver, to run with it.
     */
    void clientConductorInvoker(final AgentInvoker clientConductorInvoker)
    {
        this.clientConductorInvoker = clientConductorInvoker;
    }

    /**
     * A duty cycle of the driver, waiting for the lock if another thread is in it, then of Aeron's client conductor.
     *
     * @return the work they did.
     */
    int invoke()
    {
        return invokeDriver() + invokeClientConductor();
    }

    private int invokeDriver()
    {
        lock.lock();
        try
        {
            return driverInvoker.invoke();
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * A duty cycle of the driver unless another thread is in it, then of Aeron's client conductor.
     *
     * @return the work they did.
     */
    int invokeIfFree()
    {
        int workCount = 0;
        if (lock.tryLock())
        {
            try
            {
                workCount += driverInvoker.invoke();
            }
            finally
            {
                lock.unlock();
            }
        }

        return workCount + invokeClientConductor();
    }

    /**
     * Run the driver until it has nothing left to do, for at most {@link #CLOSE_SEND_TIMEOUT_NS}: what the I/O
     * thread offered last (the cluster session's close request, as it closes) goes out only when the driver runs, and
     * a session not closed would hold one of the cluster's sessions until its timeout.
     */
    private void sendWhatIsOffered()
    {
        final long deadlineNs = System.nanoTime() + CLOSE_SEND_TIMEOUT_NS;
        int idleCycles = 0;
        while (idleCycles < CLOSE_IDLE_CYCLES && System.nanoTime() - deadlineNs < 0)
        {
            idleCycles = 0 == invoke() ? idleCycles + 1 : 0;
            if (idleCycles > 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    private int invokeClientConductor()
    {
        return null == clientConductorInvoker ? 0 : clientConductorInvoker.invoke();
    }

    /**
     * @return the invoker Aeron's client runs while it awaits the driver's answer ({@code driverAgentInvoker}).
     */
    AgentInvoker awaitingInvoker()
    {
        return awaitingInvoker;
    }

    /**
     * An agent that runs a duty cycle of the driver, then one of the given agent, under the given agent's name.
     *
     * @param agent to run with the driver.
     * @return the agent for the client's I/O thread.
     */
    Agent withDriver(final Agent agent)
    {
        return new Agent()
        {
            public void onStart()
            {
                agent.onStart();
            }

            public int doWork() throws Exception
            {
                return invokeIfFree() + agent.doWork();
            }

            public void onClose()
            {
                agent.onClose();
                sendWhatIsOffered();
            }

            public String roleName()
            {
                return agent.roleName();
            }
        };
    }
}
