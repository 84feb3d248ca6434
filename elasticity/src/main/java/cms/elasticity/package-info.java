/**
 * The elasticity service: evaluates every pod's policy on a clock from {@code metrics},
 * {@code node-events} and {@code pods}, and publishes each decision with its reason on {@code scaling}.
 * The policy settings are already stored and validated by the resource manager (rm-core).
 */
package cms.elasticity;
