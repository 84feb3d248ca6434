package cms.cli;

import cms.core.auth.Role;
import cms.core.auth.TokenSecret;
import cms.core.codec.EventCodec;
import cms.core.event.Ids;
import cms.core.event.TokenRecord;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.TopicCreator;
import cms.core.topic.Topics;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A token put on a cluster's {@code tokens} topic directly, as an install step before any service runs (what
 * {@code CMS_RM_ADMIN_TOKEN_FILE} has the resource manager do at its start): for the test and bench clusters,
 * whose API must take their token whether or not a resource manager runs yet (e.g. the tests of the API while
 * the resource manager is down).
 */
final class InstallTokens {

    private InstallTokens() {
    }

    /** A new token of {@code role}, stored under {@code name}; returns once the broker has it. */
    static TokenSecret store(KafkaSettings kafka, String name, Role role) {
        TokenSecret token = TokenSecret.issue(new SecureRandom());
        write(kafka, new TokenRecord.ApiToken(Ids.next(), 1, Instant.now(), token.id(), name, role.wire(), token.hash(),
                null, null));
        return token;
    }

    /** A new join token for host {@code hostId}, valid 15 minutes (what {@code cloud host join-token} makes). */
    static String join(KafkaSettings kafka, String hostId) {
        TokenSecret token = TokenSecret.issue(new SecureRandom());
        write(kafka, new TokenRecord.JoinToken(Ids.next(), 1, Instant.now(), token.id(), hostId, token.hash(),
                Instant.now().plus(cms.rm.model.TokenDecisions.MAX_JOIN_TTL), null));
        return token.text();
    }

    private static void write(KafkaSettings kafka, TokenRecord record) {
        TopicCreator.ensureAll(kafka);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer("cms-install-token", null))) {
            producer.send(new ProducerRecord<>(Topics.TOKENS.topicName(), record.key(), new EventCodec().encode(record)))
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not store a token on " + Topics.TOKENS.topicName() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing a token", e);
        }
    }
}
