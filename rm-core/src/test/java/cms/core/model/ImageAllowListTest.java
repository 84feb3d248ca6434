package cms.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The image allow-list: glob patterns over normalized names, its setting, and its refusal message. */
class ImageAllowListTest {

    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void unsetOrBlankAllowsEveryImage() {
        for (ImageAllowList open : new ImageAllowList[] {ImageAllowList.from(new Settings(Map.of())),
                ImageAllowList.parse(" , "), ImageAllowList.all()}) {
            assertTrue(open.open());
            assertTrue(open.allows("anything/at:all"));
            assertEquals(Optional.empty(), open.refusal("nginx"));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "cms/*,                          cms/workload:dev,                 true",
        "cms/*,                          docker.io/cms/workload,           true",
        "cms/*,                          cms/a/b,                          false",
        "cms/*,                          cmsx/workload,                    false",
        "cms/*,                          evil.io/cms/workload,             false",
        "cms/**,                         cms/a/b:1,                        true",
        "registry.example.com/team/*,    registry.example.com/team/app:2,  true",
        "registry.example.com/team/*,    registry.example.com/other/app,   false",
        "registry.example.com/team/*,    registry.example.com/team/a/b,    false",
        "registry.example.com/team/**,   registry.example.com/team/a/b,    true",
        "*.example.com/**,               eu.example.com/x/y,               true",
        "*.example.com/**,               example.com/x,                    false",
        "nginx,                          nginx:1.27,                       true",
        "nginx,                          docker.io/library/nginx,          true",
        "nginx,                          nginx-evil,                       false",
        "nginx:1.*,                      nginx:1.27,                       true",
        "nginx:1.*,                      nginx:2.0,                        false",
        "nginx:latest,                   nginx,                            true",
        "*,                              redis:7,                          true",
        "*,                              someone/redis,                    false",
        "localhost:5000/*,               localhost:5000/app,               true",
        "localhost:5000/*,               localhost:5001/app,               false",
        "cms/workload:dev,               cms/workload:dev2,                false",
        "cms/workload@sha256:*,          cms/workload:dev,                 false"})
    void matchesNormalizedNames(String pattern, String image, boolean allowed) {
        assertEquals(allowed, ImageAllowList.parse(pattern).allows(image), pattern + " vs " + image);
    }

    @Test
    void aDigestPatternAndATagPatternAgainstDigests() {
        assertTrue(ImageAllowList.parse("cms/workload@sha256:*").allows("cms/workload@" + DIGEST));
        assertTrue(ImageAllowList.parse("cms/workload").allows("cms/workload@" + DIGEST), "no tag: any digest");
        assertFalse(ImageAllowList.parse("cms/workload:dev").allows("cms/workload@" + DIGEST), "no tag to match");
        assertTrue(ImageAllowList.parse("cms/workload:dev").allows("cms/workload:dev@" + DIGEST));
    }

    @Test
    void anyPatternOfTheListAllows() {
        ImageAllowList list = ImageAllowList.parse(" cms/* , registry.example.com/team/* ");
        assertTrue(list.allows("cms/workload:dev"));
        assertTrue(list.allows("registry.example.com/team/api:3"));
        assertFalse(list.allows("nginx"));
        assertEquals(Optional.of("image 'nginx' is not allowed: CMS_IMAGE_ALLOW is cms/*,registry.example.com/team/*"),
                list.refusal("nginx"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cms/App:1 x", "cms/App", "cms/:1", "cms/app@md5", "cms/a b"})
    void anInvalidImageIsNeverAllowedByAList(String image) {
        assertFalse(ImageAllowList.parse("**,*/**,*/*/**").allows(image));
    }

    @ParameterizedTest
    @ValueSource(strings = {"cms/*,Bad Pattern", "cms/*:", "/x", "cms//*", "cms/*@nope"})
    void aBadPatternIsAOneLineConfigErrorNamingTheKeyAndThePattern(String value) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ImageAllowList.from(new Settings(Map.of("CMS_IMAGE_ALLOW", value))));
        assertTrue(e.getMessage().startsWith("CMS_IMAGE_ALLOW: '"), e.getMessage());
        assertTrue(e.getMessage().contains("is not an image name pattern"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }
}
