package cms.web;

import cms.core.event.AdminReply;
import cms.core.model.Refusal;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** The resource manager's replies as the API answers them: the one place they become HTTP answers. */
final class AdminReplies {

    private AdminReplies() {
    }

    /**
     * The reply with its status: {@code {"message", "data", "next"}}, its data in the API's spelling
     * ({@link ApiJson#fromResourceManager}); or, refused, the API's error ({@link ApiErrors}).
     */
    static void answer(Context ctx, ApiJson api, AdminReply reply, JsonNode data, String next) {
        if (!reply.ok()) {
            throw ApiErrors.refuse(new Refusal(reply.status(), reply.field(), reply.message()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("message", reply.message());
        if (data != null) {
            out.put("data", api.fromResourceManager(data));
        }
        if (next != null) {
            out.put("next", next);
        }
        ctx.status(reply.status()).contentType("application/json").result(api.write(out));
    }
}
