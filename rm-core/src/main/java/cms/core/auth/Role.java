package cms.core.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a token may do, as Kubernetes' default roles: {@code viewer} reads and streams; {@code operator} also
 * runs the cloud (launch and remove nodes, pause, resume, scale, jobs, cordon and drain hosts) but chooses
 * no images and holds no keys; {@code admin} does everything, pods' images and tokens included.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    /** Whether this role may take the action. */
    public boolean allows(Action action) {
        return switch (action) {
            case READ -> true;
            case OPERATE -> this != VIEWER;
            case ADMINISTER -> this == ADMIN;
        };
    }

    /** The role's name as the API and the CLI spell it. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code text} (any case), or empty. */
    public static Optional<Role> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(r -> r.wire().equals(text.strip().toLowerCase(Locale.ROOT))).findFirst();
    }

    /** "viewer, operator, admin", for error messages. */
    public static String choices() {
        return Arrays.stream(values()).map(Role::wire).collect(Collectors.joining(", "));
    }

    /** The kinds of call a role is checked against. */
    public enum Action {
        /** Reading state and streaming it. */
        READ,
        /** Changing what runs: nodes, pause, scaling, jobs, host scheduling. */
        OPERATE,
        /** Choosing images (pods), tokens, host join tokens. */
        ADMINISTER;

        /** The least role that may take this action. */
        public Role least() {
            return Arrays.stream(Role.values()).filter(r -> r.allows(this)).findFirst().orElseThrow();
        }
    }
}
