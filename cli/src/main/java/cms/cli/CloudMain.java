package cms.cli;

/**
 * {@code cloud}: the client's own entry point, which the {@code cloud} script starts (a short-lived JVM). It loads
 * the client's classes alone, none of the services' or the {@code cms} command tree's; {@code cms cloud ...} runs
 * the same client through {@link CmsMain}.
 */
public final class CloudMain {

    /**
     * The JDK's {@code HttpURLConnection} sends a POST a second time, once, when the answer to it broke off (a
     * documented networking property, on by default); a POST to the API changes something, so the client sends each
     * once and reports the failure. Set before the first connection, unless the operator chose.
     */
    static final String RETRY_POST = "sun.net.http.retryPost";

    private CloudMain() {
    }

    public static void main(String[] args) {
        sendPostsOnce();
        System.exit(CloudCommand.run(args, System.out, System.err, System.getenv()));
    }

    static void sendPostsOnce() {
        if (System.getProperty(RETRY_POST) == null) {
            System.setProperty(RETRY_POST, "false");
        }
    }
}
