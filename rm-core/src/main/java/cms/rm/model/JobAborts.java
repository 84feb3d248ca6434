package cms.rm.model;

import cms.core.event.AdminRequest;
import cms.core.event.JobEvent;
import cms.core.model.Names;
import java.time.Instant;
import java.util.Map;

/** An admin request to abort a job: the ABORTED event to publish (none when refused) and the reply. */
public final class JobAborts {

    /** {@code event} is null when the request was refused. */
    public record Decision(JobEvent event, Outcome.Reply reply) {
    }

    private JobAborts() {
    }

    public static Decision decide(JobBook book, AdminRequest.AbortJob request, Instant now) {
        var problem = Names.jobIdProblem(request.jobId());
        if (problem.isPresent()) {
            return new Decision(null, Outcome.Reply.rejected(Rejection.badField("id", problem.get())));
        }
        try {
            JobEvent aborted = book.abort(request.jobId(), request.reason(), now);
            return new Decision(aborted, Outcome.Reply.of(200, "job " + request.jobId() + " ABORTED",
                    Map.of("jobId", request.jobId(), "status", "ABORTED")));
        } catch (Rejection rejection) {
            return new Decision(null, Outcome.Reply.rejected(rejection));
        }
    }
}
