package cms.web;

import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.model.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.http.Context;

/**
 * A page of a list route ({@code ?limit=N&after=NAME}): at most {@code limit} items (default
 * {@value AdminRequest#PAGE_DEFAULT}, at most {@value AdminRequest#PAGE_MAX}) after the item named
 * {@code after}. The resource manager is asked for one item more, so the answer knows whether a next
 * page exists; its {@code next} is the {@code after} that asks for it.
 */
record PageQuery(int limit, String after) {

    static PageQuery of(Context ctx) {
        int limit = limit(ctx, AdminRequest.PAGE_MAX);
        String after = ctx.queryParam("after");
        if (after != null) {
            Names.nameProblem(after).ifPresent(problem -> {
                throw JsonBody.bad("after", problem);
            });
        }
        return new PageQuery(limit, after);
    }

    /** The {@code limit} query parameter: {@value AdminRequest#PAGE_DEFAULT} when absent, else within 1..max. */
    static int limit(Context ctx, int max) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return AdminRequest.PAGE_DEFAULT;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw JsonBody.bad("limit", "not a whole number: '" + text + "'");
        }
        if (limit < 1 || limit > max) {
            throw JsonBody.bad("limit", limit + " is not within 1.." + max);
        }
        return limit;
    }

    /** What to ask the resource manager for: one more than the page, to see past its end. */
    Integer ask() {
        return limit + 1;
    }

    /** The page of this reply's items, and the name the next page starts after (null: none). */
    Answer answer(AdminReply reply) {
        JsonNode items = reply.body();
        if (items == null || !items.isArray() || items.size() <= limit) {
            return new Answer(items, reply.next());
        }
        ArrayNode page = ((ArrayNode) items).deepCopy();
        while (page.size() > limit) {
            page.remove(page.size() - 1);
        }
        return new Answer(page, page.get(limit - 1).path("name").asText());
    }

    /** One page: its items and where the next starts. */
    record Answer(JsonNode items, String next) {
    }
}
