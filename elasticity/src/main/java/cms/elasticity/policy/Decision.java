package cms.elasticity.policy;

/** The outcome of one evaluation: the size to go to ({@code to == from}: hold) and the sentence why. */
public record Decision(int from, int to, String reason) {

    public boolean changes() {
        return to != from;
    }
}
