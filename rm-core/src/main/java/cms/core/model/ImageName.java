package cms.core.model;

import java.util.regex.Pattern;

/**
 * A container image reference split by Docker's grammar (distribution/reference): {@code
 * [domain/]path[:tag][@digest]}. {@link #normalized()} fills in what Docker assumes: the domain {@code
 * docker.io} and, on it, {@code library/} before a one-part path ({@code nginx} is {@code
 * docker.io/library/nginx}), so that two spellings of one image compare equal.
 */
public record ImageName(String domain, String path, String tag, String digest) {

    public static final String DEFAULT_DOMAIN = "docker.io";
    /** Docker's own limit on the name part. */
    public static final int MAX_NAME = 255;
    private static final String ALNUM = "[a-z0-9]+";
    private static final Pattern PATH_COMPONENT = Pattern.compile(ALNUM + "(?:(?:[._]|__|-+)" + ALNUM + ")*");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern DOMAIN = Pattern.compile(DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT
            + ")*(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("\\w[\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*"
            + ":[0-9a-fA-F]{32,}");

    /** Parses a reference; an {@link IllegalArgumentException} says in one line what is wrong with it. */
    public static ImageName parse(String reference) {
        if (reference == null || reference.isBlank()) {
            throw new IllegalArgumentException("is empty");
        }
        String rest = reference.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = check(DIGEST, rest.substring(at + 1), "digest");
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = check(TAG, rest.substring(colon + 1), "tag");
            rest = rest.substring(0, colon);
        }
        if (rest.length() > MAX_NAME) {
            throw new IllegalArgumentException("its name is " + rest.length() + " characters long, over " + MAX_NAME);
        }
        String domain = null;
        int slash = rest.indexOf('/');
        if (slash >= 0 && isDomain(rest.substring(0, slash))) {
            domain = check(DOMAIN, rest.substring(0, slash), "registry");
            rest = rest.substring(slash + 1);
        }
        for (String component : rest.split("/", -1)) {
            check(PATH_COMPONENT, component, "name part");
        }
        return new ImageName(domain, rest, tag, digest);
    }

    /** Docker's rule: the first part names a registry when it has a '.' or a ':', or is localhost. */
    static boolean isDomain(String first) {
        return first.contains(".") || first.contains(":") || first.equals("localhost")
                || !first.equals(first.toLowerCase(java.util.Locale.ROOT));
    }

    private static String check(Pattern p, String value, String what) {
        if (!p.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' is not valid" + (what.equals("name part")
                    ? " (lower-case letters and digits, separated by '.', '_', '__' or '-')" : ""));
        }
        return value;
    }

    /** With Docker's defaults filled in: a domain, {@code library/} on Docker Hub. */
    public ImageName normalized() {
        String d = domain == null || domain.equals("index.docker.io") ? DEFAULT_DOMAIN : domain;
        String p = d.equals(DEFAULT_DOMAIN) && !path.contains("/") ? "library/" + path : path;
        return new ImageName(d, p, tag, digest);
    }

    /** {@code domain/path}, without tag or digest. */
    public String name() {
        return domain == null ? path : domain + "/" + path;
    }
}
