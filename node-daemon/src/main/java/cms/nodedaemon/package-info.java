/**
 * The node daemon: one per host; starts and stops nodes (Docker containers or local processes), watches
 * them and samples their CPU and memory. It consumes {@code commands} for its host and produces
 * {@code node-events}, {@code host-events} and {@code metrics}. See DESIGN.md.
 */
package cms.nodedaemon;
