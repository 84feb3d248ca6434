package cms.web;

import cms.core.model.Refusal;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.javalin.http.HttpResponseException;
import java.util.Map;

/**
 * The API's one error shape: {@code {"error": "one line", "field": "the input at fault"}}, {@code field} null when
 * no one input is. Handlers throw a {@link Refusal} as an exception ({@link #refuse}); the server writes every
 * error, its own and the resource manager's, as this body (or, for a dashboard page, as the error page).
 */
public final class ApiErrors {

    /** What every error answer's body is. */
    public record Body(String error, @JsonInclude(JsonInclude.Include.ALWAYS) String field) {
    }

    private ApiErrors() {
    }

    /** The refusal as an exception that the server's error mapping answers. */
    public static HttpResponseException refuse(Refusal r) {
        return new HttpResponseException(r.status(), r.message(), r.field() == null ? Map.of()
                : Map.of("field", r.field()));
    }

    /** What the exception says, as a refusal (the field it names, if any). */
    static Refusal of(HttpResponseException e) {
        return new Refusal(e.getStatus(), e.getDetails().get("field"), e.getMessage());
    }
}
