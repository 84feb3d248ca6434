package cms.elasticity.policy;

/** What a strategy wants for one pod at one moment: a size, and the sentence that says why. */
public record Recommendation(int nodes, String reason) {
}
