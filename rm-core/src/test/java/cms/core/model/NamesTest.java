package cms.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract's one rule for pod and node names and job ids, as the web and the resource manager both use it. */
class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "light", "web-1", "a_b", "abcdefghijabcdefghijabcdefghijabcdefghij"})
    void goodNamesPass(String name) {
        assertEquals(Optional.empty(), Names.nameProblem(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "   "})
    void aBlankNameIsRequired(String name) {
        assertEquals(Optional.of("is required"), Names.nameProblem(name));
        assertEquals(Optional.of("is required"), Names.nameProblem(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Light", "1a", "-a", "a b", "a/b", "a.b", "ä", "a\u0000",
        "abcdefghijabcdefghijabcdefghijabcdefghijk"})
    void aBadNameSaysWhatANameIs(String name) {
        String problem = Names.nameProblem(name).orElseThrow();
        assertTrue(problem.contains("is not a valid name (a lower-case letter"), problem);
        assertTrue(problem.contains("at most 40 characters"), problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {"job-1", "A.b:c_d-e", "0"})
    void goodJobIdsPass(String id) {
        assertEquals(Optional.empty(), Names.jobIdProblem(id));
        assertTrue(Names.validJobId(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "-a", ".a", "a/b", "a?b"})
    void aBadJobIdSaysWhatAnIdIs(String id) {
        String problem = Names.jobIdProblem(id).orElseThrow();
        assertTrue(problem.contains("is not an id"), problem);
        assertTrue(problem.contains("starting with a letter or digit"), problem);
    }

    @org.junit.jupiter.api.Test
    void aHugeOrUnprintableValueIsShownShortAndEscaped() {
        String problem = Names.nameProblem("x".repeat(10_000)).orElseThrow();
        assertTrue(problem.length() < 200, problem);
        assertTrue(Names.jobIdProblem("a".repeat(129)).isPresent());
        assertTrue(Names.nameProblem("a\nb").orElseThrow().contains("a\\u000ab"));
    }
}
