/**
 * The elasticity service: evaluates every pod's policy on a clock from {@code metrics} and {@code pods},
 * and publishes each decision with its reason on {@code scaling}; the resource manager applies it.
 * {@code policy} holds the pure decision code.
 */
package cms.elasticity;
