/**
 * The elasticity simulator: runs our policy's decision code ({@code cms.elasticity.policy}), the original
 * system's rule and Kubernetes' HPA on one trace and one pod model, on a simulated clock, and measures
 * each with the SPEC Research Group elasticity metrics. Pure, apart from {@link cms.elasticity.sim.TraceReader}
 * (reads the CSV); {@link cms.elasticity.sim.HtmlReport} builds the plot as text for the caller to write.
 */
package cms.elasticity.sim;
