package cms.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;

/**
 * Values of the compacted {@code tokens} topic, written only by the resource manager: the API tokens
 * (keyed by their public id) and the hosts' join tokens (keyed {@code join:<id>}), each with the SHA-256 of
 * its secret, never the secret. A revoked or used-up token is a tombstone.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TokenRecord.ApiToken.class, name = "ApiToken"),
    @JsonSubTypes.Type(value = TokenRecord.JoinToken.class, name = "JoinToken"),
    @JsonSubTypes.Type(value = TokenRecord.HostAdmitted.class, name = "HostAdmitted"),
})
public sealed interface TokenRecord extends Event {

    /** The key prefix of join tokens. */
    String JOIN_PREFIX = "join:";
    /** The key prefix of admitted hosts. */
    String HOST_PREFIX = "host:";

    /** An API token: who it is for ({@code name}), its role, and when it ends (null: never). */
    record ApiToken(String eventId, int v, Instant at, String id, String name, String role, String hash,
            Instant expiresAt, String createdBy) implements TokenRecord {
        public String key() {
            return id;
        }

        /** Whether it may still be used at {@code now}. */
        public boolean validAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }
    }

    /** A join token for one host id, valid until {@code expiresAt}. */
    record JoinToken(String eventId, int v, Instant at, String id, String hostId, String hash, Instant expiresAt,
            String createdBy) implements TokenRecord {
        public String key() {
            return JOIN_PREFIX + id;
        }

        public boolean validAt(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    /** A host admitted by the join token {@code tokenId}: the resource manager listens to it from then on. */
    record HostAdmitted(String eventId, int v, Instant at, String hostId, String tokenId) implements TokenRecord {
        public String key() {
            return HOST_PREFIX + hostId;
        }
    }
}
