package cms.nodedaemon.driver;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerConfig;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The images node containers are made from: a pod's image is checked against {@code CMS_IMAGE_ALLOW} before
 * anything is pulled, pulled when the engine does not have it, and its configuration (labels, user) read.
 */
final class DockerImages {

    private static final Logger LOG = LoggerFactory.getLogger(DockerImages.class);
    private final DockerClient docker;
    private final String hostId;
    private final NodeHardening hardening;
    private final Set<String> rootImagesWarned = ConcurrentHashMap.newKeySet();

    DockerImages(DockerClient docker, String hostId, NodeHardening hardening) {
        this.docker = docker;
        this.hostId = hostId;
        this.hardening = hardening;
    }

    /**
     * The configuration of {@code image}, pulled first where needed; a pod's image ({@code checked}: not
     * the daemon's own workload image) only when the allow-list allows it.
     */
    ContainerConfig prepare(String image, boolean checked) throws NodeStartException {
        if (checked) {
            Optional<String> refusal = hardening.images().refusal(image);
            if (refusal.isPresent()) {
                throw new NodeStartException(refusal.get() + " (on host " + hostId + ")");
            }
        }
        ContainerConfig config = ensure(image);
        String user = config.getUser();
        if (hardening.user() == null && runsAsRoot(user) && rootImagesWarned.add(image)) {
            LOG.warn("image {} runs as root inside its containers (USER '{}'); its nodes have no capabilities and "
                    + "no new privileges, but set CMS_NODE_USER, or a USER in the image, where it can run unprivileged",
                    image, user == null ? "" : user);
        }
        return config;
    }

    /** An image's {@code USER} that is root: none, 0 or root (with any group). */
    static boolean runsAsRoot(String user) {
        String name = user == null ? "" : user.trim();
        int colon = name.indexOf(':');
        name = colon < 0 ? name : name.substring(0, colon);
        return name.isEmpty() || name.equals("0") || name.equals("root");
    }

    private ContainerConfig ensure(String image) throws NodeStartException {
        try {
            return docker.inspectImageCmd(image).exec().getConfig();
        } catch (NotFoundException e) {
            LOG.info("image {} is not on this host; pulling it", image);
        }
        try {
            if (!docker.pullImageCmd(image).start().awaitCompletion(120, TimeUnit.SECONDS)) {
                throw new NodeStartException("image '" + image + "' could not be pulled within 120 s");
            }
            return docker.inspectImageCmd(image).exec().getConfig();
        } catch (DockerException e) {
            throw new NodeStartException("image '" + image + "' is not on host " + hostId + " and could not be "
                    + "pulled: " + DockerNodeDriver.firstLine(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeStartException("interrupted while pulling " + image, e);
        }
    }
}
