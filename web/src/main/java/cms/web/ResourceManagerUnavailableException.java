package cms.web;

/** The resource manager did not answer an admin request in time. */
public class ResourceManagerUnavailableException extends RuntimeException {
    public ResourceManagerUnavailableException(String message) {
        super(message);
    }
}
