/**
 * The balancer service: keeps HAProxy's servers equal to the ONLINE nodes of each unpaused pod, drains
 * before removing, and publishes HAProxy's stats on {@code metrics}. See DESIGN.md.
 */
package cms.balancer;
