package cms.core.model;

import cms.core.config.ConfigException;
import cms.core.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which container images pods may run: {@value #KEY}, comma-separated name patterns, read by the resource
 * manager (a pod registration with another image is refused with 403, whichever way it came) and by every
 * node daemon (a launch of another image ends FAILED, the image not pulled). Unset: every image is allowed.
 * <p>
 * Both the image and the pattern are compared in Docker's normalized form: without a registry (a first
 * part with a '.' or ':', or localhost) the registry is {@code docker.io}, and there a one-part name is under
 * {@code library/} ({@code cms/*} is {@code docker.io/cms/*}, {@code nginx} is {@code docker.io/library/nginx},
 * {@code *} every official Docker Hub image). {@code *} matches within one part of the name ({@code cms/*}
 * allows {@code cms/workload:dev}, not {@code cms/a/b}), {@code **} across parts ({@code
 * registry.example.com/team/**}). A pattern without a tag or digest allows every tag and digest; {@code cms/workload:*} only
 * tagged ones. An image without tag or digest has the tag {@code latest}.
 */
public final class ImageAllowList {

    public static final String KEY = "CMS_IMAGE_ALLOW";
    private static final ImageAllowList ALL = new ImageAllowList(List.of(), List.of());

    private final List<String> written;
    private final List<Glob> globs;

    private ImageAllowList(List<String> written, List<Glob> globs) {
        this.written = List.copyOf(written);
        this.globs = List.copyOf(globs);
    }

    /** Every image allowed. */
    public static ImageAllowList all() {
        return ALL;
    }

    public static ImageAllowList from(Settings s) {
        try {
            return parse(s.string(KEY, ""));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(KEY + ": " + e.getMessage());
        }
    }

    /** Comma-separated patterns; blank is every image. A bad pattern is an {@link IllegalArgumentException}. */
    public static ImageAllowList parse(String csv) {
        List<String> written = new ArrayList<>();
        List<Glob> globs = new ArrayList<>();
        for (String raw : csv == null ? new String[0] : csv.split(",")) {
            String p = raw.trim();
            if (!p.isEmpty()) {
                written.add(p);
                globs.add(Glob.of(p));
            }
        }
        return globs.isEmpty() ? ALL : new ImageAllowList(written, globs);
    }

    /** Whether every image is allowed (no list set). */
    public boolean open() {
        return globs.isEmpty();
    }

    /** Whether this image may run; a reference that is not a valid image name never may (when a list is set). */
    public boolean allows(String image) {
        if (open()) {
            return true;
        }
        ImageName name;
        try {
            name = ImageName.parse(image).normalized();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return globs.stream().anyMatch(g -> g.matches(name));
    }

    /**
     * Empty when {@code image} may run; else the one-line reason, naming the image and the list. {@code
     * image} must be a valid reference ({@link ImageName#parse}).
     */
    public Optional<String> refusal(String image) {
        return allows(image) ? Optional.empty() : Optional.of("image '" + image + "' is not allowed: " + KEY
                + " is " + this);
    }

    /** The patterns as they were written, comma-separated. */
    @Override
    public String toString() {
        return open() ? "unset (every image allowed)" : String.join(",", written);
    }

    /** One pattern: a glob for the name, and one for the tag or digest when the pattern gives it. */
    private record Glob(Pattern name, Pattern tag, Pattern digest) {

        private static final Pattern DIGEST_GLOB = Pattern.compile("[A-Za-z*][A-Za-z0-9_+.*-]*:[0-9a-fA-F*]+");

        static Glob of(String pattern) {
            int at = pattern.indexOf('@');
            String digest = at < 0 ? null : pattern.substring(at + 1);
            String nameAndTag = at < 0 ? pattern : pattern.substring(0, at);
            ImageName parts;
            try {
                if (digest != null && !DIGEST_GLOB.matcher(digest).matches()) {
                    throw new IllegalArgumentException("digest '" + digest + "' is not valid");
                }
                parts = ImageName.parse(nameAndTag.replace('*', 'a'));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + pattern + "' is not an image name pattern: " + e.getMessage()
                        + " ('*' matches within one part of the name, '**' across parts)");
            }
            // '*' was replaced by one character, so the tag has the same length in the pattern
            int tagLength = parts.tag() == null ? 0 : parts.tag().length();
            String namePart = nameAndTag.substring(0, nameAndTag.length() - (tagLength == 0 ? 0 : tagLength + 1));
            String tag = tagLength == 0 ? null : nameAndTag.substring(namePart.length() + 1);
            return new Glob(regex(normalizedName(namePart)), tag == null ? null : regex(tag),
                    digest == null ? null : regex(digest));
        }

        /** Normalized as an image name is ({@code *} counting as a letter). */
        private static String normalizedName(String namePart) {
            int slash = namePart.indexOf('/');
            String first = slash < 0 ? namePart : namePart.substring(0, slash);
            boolean domain = slash >= 0 && ImageName.isDomain(first);
            return new ImageName(domain ? first : null, domain ? namePart.substring(slash + 1) : namePart, null, null)
                    .normalized().name();
        }

        private static Pattern regex(String glob) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < glob.length(); i++) {
                char c = glob.charAt(i);
                if (c != '*') {
                    out.append(Pattern.quote(String.valueOf(c)));
                } else if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    out.append(".*");
                    i++;
                } else {
                    out.append("[^/]*");
                }
            }
            return Pattern.compile(out.toString());
        }

        boolean matches(ImageName image) {
            if (!name.matcher(image.name()).matches()) {
                return false;
            }
            if (digest != null && (image.digest() == null || !digest.matcher(image.digest()).matches())) {
                return false;
            }
            if (tag == null) {
                return true;
            }
            String imageTag = image.tag() != null ? image.tag() : image.digest() == null ? "latest" : null;
            return imageTag != null && tag.matcher(imageTag).matches();
        }
    }
}
