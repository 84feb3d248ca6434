package cms.cli;

import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * The HTTP client of a short-lived command. The JDK's client builds the default TLS context as it is made, which
 * reads the JVM's whole certificate store (about a tenth of a second and 200 classes for a command that then talks
 * plain HTTP to {@code cms dev}); for an {@code http://} address it is given a context that trusts nothing instead,
 * which no plain request uses (and the client follows no redirect to an {@code https://} one). An {@code https://}
 * address gets the default, as before.
 */
final class PlainHttp {

    private PlainHttp() {
    }

    static HttpClient client(String baseUrl, Duration connectTimeout) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout);
        if (baseUrl.regionMatches(true, 0, "http://", 0, 7)) {
            b.sslContext(trustingNothing());
        }
        return b.build();
    }

    private static SSLContext trustingNothing() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context: " + e.getMessage(), e);
        }
    }
}
