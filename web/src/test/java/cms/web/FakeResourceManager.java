package cms.web;

import cms.core.auth.TokenBook;
import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.event.Ids;
import cms.core.event.JobSubmission;
import cms.core.model.Host;
import cms.rm.model.AdminDecisions;
import cms.rm.model.CloudState;
import cms.rm.model.JobAborts;
import cms.rm.model.JobBook;
import cms.rm.model.Outcome;
import cms.rm.model.Placement;
import cms.rm.model.TokenDecisions;
import java.time.Clock;
import java.time.Duration;

/**
 * The resource manager without Kafka, for the API's tests: each admin request is decided by the resource manager's
 * own pure code (its admin, token and abort decisions) against a cloud state held here, and answered as its handler
 * answers, the reply written and read by the codec as it would be on {@code admin-replies}. Hosts and live jobs are
 * given by the test (what heartbeats and submissions would bring).
 */
final class FakeResourceManager implements AdminClient {

    private final EventCodec codec;
    private final Clock clock;
    private final TokenBook tokens;
    private final AdminDecisions decisions = new AdminDecisions(new Placement(Placement.DEFAULT_LIVENESS,
            Placement.DEFAULT_CPU_OVERCOMMIT));
    private final JobBook jobs = new JobBook(JobBook.Limits.DEFAULTS);
    private CloudState state = CloudState.empty();

    /** {@code tokens}: the book the web's token routes read (what the {@code tokens} topic would bring it). */
    FakeResourceManager(EventCodec codec, Clock clock, TokenBook tokens) {
        this.codec = codec;
        this.clock = clock;
        this.tokens = tokens;
    }

    /** A READY host heard from now. */
    synchronized void host(String id, double cpuCores, long memoryMb) {
        state = state.withHost(new Host(id, "127.0.0.1", cpuCores, memoryMb, clock.instant()));
    }

    /** A job the resource manager has queued (what a submission on {@code jobs} would bring). */
    synchronized void job(String jobId, String pod) {
        jobs.submit(new JobSubmission.JobSubmitted(Ids.next(), 1, clock.instant(), jobId, pod, null, null), 0, "http",
                state, clock.instant()).ifPresent(jobs::apply);
    }

    @Override
    public synchronized AdminReply call(AdminRequest request, Duration timeout) {
        Outcome.Reply reply;
        if (request instanceof AdminRequest.AbortJob abort) {
            JobAborts.Decision d = JobAborts.decide(jobs, abort, clock.instant());
            if (d.event() != null) {
                jobs.apply(d.event());
            }
            reply = d.reply();
        } else if (request instanceof AdminRequest.CreateToken create) {
            TokenDecisions.Result r = TokenDecisions.create(tokens, create, clock.instant());
            if (r.put() != null) {
                tokens.apply(r.put().id(), r.put());
            }
            reply = r.reply();
        } else if (request instanceof AdminRequest.RevokeToken revoke) {
            TokenDecisions.Result r = TokenDecisions.revoke(tokens, revoke);
            if (r.tombstone() != null) {
                tokens.apply(r.tombstone(), null);
            }
            reply = r.reply();
        } else if (request instanceof AdminRequest.CreateJoinToken join) {
            reply = TokenDecisions.createJoin(join, clock.instant()).reply();
        } else {
            Outcome outcome = decisions.decide(state, request, clock.instant());
            state = outcome.state();
            reply = outcome.reply();
        }
        AdminReply event = reply.toEvent(Ids.next(), clock.instant(), request.eventId(),
                reply.body() == null ? null : codec.mapper().valueToTree(reply.body()));
        try {
            return codec.decode(codec.encode(event), AdminReply.class);
        } catch (UndecodableRecordException e) {
            throw new IllegalStateException("a reply the web could not read: " + e.getMessage(), e);
        }
    }
}
