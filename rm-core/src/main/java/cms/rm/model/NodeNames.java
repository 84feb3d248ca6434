package cms.rm.model;

/** Names the resource manager gives the nodes it adds itself: {@code POD-N}, the lowest N no node has. */
final class NodeNames {

    private NodeNames() {
    }

    /** The first {@code pod-N} from {@code from} on that no node of the cloud has (node names are cloud-wide). */
    static int freeSuffix(CloudState state, String pod, int from) {
        int suffix = from;
        while (state.node(pod + "-" + suffix).isPresent()) {
            suffix++;
        }
        return suffix;
    }

    /** The lowest free {@code pod-N}. */
    static String free(CloudState state, String pod) {
        return pod + "-" + freeSuffix(state, pod, 1);
    }
}
