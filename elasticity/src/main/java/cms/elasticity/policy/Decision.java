package cms.elasticity.policy;

/**
 * The outcome of one evaluation: the size to go to ({@code to == from}: hold), the sentence why, and whether the fast
 * path decided it.
 */
public record Decision(int from, int to, String reason, boolean fast) {

    public Decision(int from, int to, String reason) {
        this(from, to, reason, false);
    }

    public boolean changes() {
        return to != from;
    }
}
