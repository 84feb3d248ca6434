package cms.core.model;

/**
 * A host as the resource manager sees it: READY (heard from within the liveness setting; gets new nodes),
 * LEFT (its node daemon said it stops; no new nodes, its nodes are left running to be adopted when it is
 * back), LOST (silent past the liveness setting; its nodes were failed and replaced elsewhere, and it is
 * told to stop them if it comes back).
 */
public enum HostState {
    READY, LEFT, LOST
}
