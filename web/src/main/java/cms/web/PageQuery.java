package cms.web;

import cms.core.event.AdminReply;
import cms.core.event.AdminRequest;
import cms.core.model.Names;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A page of a list route ({@code ?limit=N&after=KEY}): at most {@code limit} items (default
 * {@value AdminRequest#PAGE_DEFAULT}) after the item whose key is {@code after}; the answer's {@code next} is the
 * {@code after} that asks for the next page, absent on the last. Every list route pages so. The resource manager's
 * lists (pods, nodes) are paged there: it is asked for one item more, so the answer knows whether a next page
 * exists. The web's own lists (hosts, tokens, jobs) are paged here ({@link #sorted}, {@link #slice}).
 */
record PageQuery(int limit, String after) {

    /** A page of a list keyed by pod or node name, of at most {@value AdminRequest#PAGE_MAX} items. */
    static PageQuery of(Context ctx) {
        return of(ctx, AdminRequest.PAGE_MAX, Names::nameProblem);
    }

    /** A page of at most {@code max} items; {@code afterRule} says what is wrong with an {@code after}, if anything. */
    static PageQuery of(Context ctx, int max, Function<String, Optional<String>> afterRule) {
        int limit = limit(ctx, max);
        String after = ctx.queryParam("after");
        if (after != null) {
            afterRule.apply(after).ifPresent(problem -> {
                throw JsonBody.bad("after", problem);
            });
        }
        return new PageQuery(limit, after);
    }

    /** The {@code limit} query parameter: {@value AdminRequest#PAGE_DEFAULT} when absent, else within 1..max. */
    static int limit(Context ctx, int max) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return Math.min(AdminRequest.PAGE_DEFAULT, max);
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

    /** One page of the resource manager's: its items and where the next starts. */
    record Answer(JsonNode items, String next) {
    }

    /** A page of a list in the order of its keys: the items whose key is past {@code after}. */
    <T> Slice<T> sorted(List<T> items, Function<T, String> key) {
        List<T> rest = after == null ? items : items.stream().filter(i -> key.apply(i).compareTo(after) > 0).toList();
        return first(rest, key);
    }

    /**
     * A page of a list in another order (newest first), read from just after the item keyed {@code after} by the
     * list's owner (which refuses an {@code after} no longer listed, with a 409: list again from the start):
     * {@code fetched} holds at most one item more than the limit, the sign that there is a next page.
     */
    <T> Slice<T> slice(List<T> fetched, Function<T, String> key) {
        return first(fetched, key);
    }

    private <T> Slice<T> first(List<T> rest, Function<T, String> key) {
        if (rest.size() <= limit) {
            return new Slice<>(List.copyOf(rest), null);
        }
        List<T> page = List.copyOf(rest.subList(0, limit));
        return new Slice<>(page, key.apply(page.get(limit - 1)));
    }

    /** One page: its items and the {@code after} of the next page (null: this is the last). */
    record Slice<T>(List<T> items, String next) {
    }
}
