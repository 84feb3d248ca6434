package cms.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Image references split and normalized by Docker's rules; what Docker would refuse is refused here. */
class ImageNameTest {

    private static final String DIGEST = "sha256:abababababababababababababababababababababababababababababababab";

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "nginx,                             docker.io, library/nginx,  -,     -",
        "nginx:1.27,                        docker.io, library/nginx,  1.27,  -",
        "cms/workload:dev,                  docker.io, cms/workload,   dev,   -",
        "docker.io/cms/workload,            docker.io, cms/workload,   -,     -",
        "index.docker.io/nginx,             docker.io, library/nginx,  -,     -",
        "localhost/app,                     localhost, app,            -,     -",
        "localhost:5000/team/app:v1,        localhost:5000, team/app,  v1,    -",
        "registry.example.com/team/a.b_c-d, registry.example.com, team/a.b_c-d, -, -",
        "Registry/app,                      Registry,  app,            -,     -",
        " cms/x__y ,                        docker.io, cms/x__y,       -,     -"})
    void splitsAndNormalizes(String reference, String domain, String path, String tag, String digest) {
        ImageName n = ImageName.parse(reference).normalized();
        assertEquals(new ImageName(domain, path, tag, digest), n);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cms/app:1", "cms/app", "localhost:5000/app"})
    void keepsTheDigest(String name) {
        ImageName n = ImageName.parse(name + "@" + DIGEST.replace("ab", "cd"));
        assertEquals(DIGEST.replace("ab", "cd"), n.digest());
        assertFalse(n.path().contains("@"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "Nginx", "cms/App", "cms//app", "/app", "app/", "cms/app:", ":1", "cms/app:-x",
        "cms/app@sha256:12", "cms/../evil", "cms/a b", "cms/app;rm", "cms/a--", "-app", "bad_host.:5/app"})
    void refusesWhatDockerWouldRefuseWithOneLine(String reference) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageName.parse(reference));
        assertFalse(e.getMessage().contains("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "cms/a-b", "cms/a---b", "cms/a.b", "cms/a_b", "127.0.0.1:5000/a"})
    void acceptsDockersSeparators(String reference) {
        assertTrue(ImageName.parse(reference).path().length() > 0);
    }

    @org.junit.jupiter.api.Test
    void aTagOverDockersLimitIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ImageName.parse("cms/app:" + "t".repeat(129)));
        assertEquals("t".repeat(128), ImageName.parse("cms/app:" + "t".repeat(128)).tag());
    }

    @org.junit.jupiter.api.Test
    void aNameOverDockersLimitIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageName.parse("cms/" + "a".repeat(ImageName.MAX_NAME)));
        assertTrue(e.getMessage().contains("over 255"), e.getMessage());
    }
}
