package cms.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import cms.core.kafka.TopicCreator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The secured cluster of {@code deploy/kafka/secure/} on a real broker: TLS material made by its
 * {@code make-certs.sh}, the broker configured by its {@code server.properties} (only the addresses, paths,
 * secrets and replication of a single node changed), SCRAM users per service, the ACLs of its {@code
 * acls.tsv} applied by {@code cms kafka-acls}, and every service given its {@code client.properties} through
 * {@code CMS_KAFKA_CONFIG}. Every service works (a pod launched and served through HAProxy, a job ended);
 * a client without credentials or with a wrong password is refused, and a node daemon's principal may not
 * write {@code admin-requests} nor read it.
 */
class SecuredKafkaIT {

    private static final Path SECURE = Path.of("..", "deploy", "kafka", "secure").toAbsolutePath().normalize();
    private static final String STORES = "it-stores-" + Long.toHexString(System.nanoTime());
    private static final String ADMIN = "it-admin-" + Long.toHexString(System.nanoTime());
    private static final List<String> SERVICES = List.of("cms-rm", "cms-web", "cms-balancer", "cms-elasticity",
            "cms-node");

    private final List<AutoCloseable> started = new ArrayList<>();
    private Path dir;

    @AfterEach
    void cleanUp() throws IOException {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("SecuredKafkaIT: closing " + started.get(i) + ": " + e);
            }
        }
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyServiceWorksOnTheSecuredClusterAndStrangersAreRefused() throws Exception {
        RealParts.require("haproxy", () -> NodeLifecycleContract.exec("haproxy", "-v").contains("HAProxy version"));
        dir = Files.createTempDirectory("cms-secured-");
        Path tls = dir.resolve("tls");
        run(List.of(SECURE.resolve("make-certs.sh").toString(), tls.toString(), STORES, "kafka-1=127.0.0.1"));

        int port = TestCluster.freePort();
        int controllerPort = TestCluster.freePort();
        EmbeddedKafka broker = EmbeddedKafka.start(dir.resolve("kafka"), brokerProperties(tls, port, controllerPort),
                "127.0.0.1", port, List.of("--add-scram", "SCRAM-SHA-512=[name=admin,password=" + ADMIN + "]"));
        started.add(broker);
        String bootstrap = broker.bootstrapServers();

        // the operator's steps of deploy/kafka/README.md: users, topics, ACLs, as the admin
        KafkaSettings admin = new KafkaSettings(bootstrap, client(tls, "admin", ADMIN));
        try (Admin a = Admin.create(admin.common("it-admin"))) {
            List<UserScramCredentialUpsertion> users = SERVICES.stream().map(u -> new UserScramCredentialUpsertion(u,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password(u))).toList();
            a.alterUserScramCredentials(List.copyOf(users)).all().get(30, TimeUnit.SECONDS);
        }
        TopicCreator.ensureAll(admin);
        ByteArrayOutputStream aclOut = new ByteArrayOutputStream();
        Map<String, String> adminEnv = Map.of(KafkaSettings.KEY, bootstrap, KafkaSettings.CONFIG_KEY,
                clientFile(tls, "admin", ADMIN).toString());
        assertEquals(0, CmsMain.run(new String[] {"kafka-acls", "--file", SECURE.resolve("acls.tsv").toString()},
                new PrintStream(aclOut, true, StandardCharsets.UTF_8), System.err, adminEnv), aclOut.toString());
        assertTrue(aclOut.toString().contains("ACLs in place"), aclOut.toString());

        // every service on its own principal
        Services services = new Services();
        started.add(services);
        // the install's admin token, stored by the resource manager itself (CMS_RM_ADMIN_TOKEN_FILE) through its ACLs
        Path tokenFile = dir.resolve("admin-token");
        ClientConfig.write(tokenFile, new ClientConfig.Entry("http://127.0.0.1", cms.core.auth.TokenSecret.issue(
                new java.security.SecureRandom()).text()));
        token = ClientConfig.read(tokenFile).orElseThrow().token();
        services.resourceManager(settings(bootstrap, tls, "cms-rm", Map.of("CMS_RM_ADMIN_TOKEN_FILE",
                tokenFile.toString())));
        var balancer = services.balancer(settings(bootstrap, tls, "cms-balancer", Map.of("CMS_BALANCER_DIR",
                dir.resolve("balancer").toString())));
        started.add(balancer::removeAllPools); // its HAProxy processes outlive the service by design
        services.elasticity(settings(bootstrap, tls, "cms-elasticity", Map.of()));
        String api = services.web(settings(bootstrap, tls, "cms-web", Map.of("CMS_WEB_PORT", "0"))).url();
        await().atMost(Duration.ofSeconds(30)).until(() -> new JsonHttp(api, token).get("/api/whoami").status() == 200);
        // the host joins with a join token the admin asked for, as an operator's host does
        TestCluster.Run join = cloud(api, "host", "join-token", "secure-host");
        assertEquals(0, join.exit(), join.err());
        var daemon = services.nodeDaemon(settings(bootstrap, tls, "cms-node", Map.of("CMS_HOST_ID", "secure-host",
                "CMS_NODE_DRIVER", "process", "CMS_NODE_DIR", dir.resolve("nodes").toString(),
                "CMS_JOIN_TOKEN", join.out().strip())));
        started.add(daemon::removeAllNodes);

        ok(cloud(api, "init"), "created pod(s) light");
        ok(cloud(api, "register", "s1", "light"), "node s1 registered");
        ok(cloud(api, "launch", "light"), "STARTING on host secure-host");
        await().atMost(Duration.ofSeconds(60)).until(() -> cloud(api, "request", "light").exit() == 0);
        JsonHttp http = new JsonHttp(api, token);
        assertEquals(202, http.post("/api/jobs", "{\"pod\":\"light\",\"job_id\":\"secured-1\"}").status());
        await().atMost(Duration.ofSeconds(60)).until(() -> "SUCCEEDED".equals(http.get("/api/jobs/secured-1").text("status")));
        JsonHttp.Response health = http.get("/api/health");
        assertEquals(200, health.status(), health.body());

        // strangers: no credentials at all (plain text to a TLS listener), or a wrong password
        Map<String, Object> plain = new KafkaSettings(bootstrap).producer("it-stranger", null);
        plain.put("max.block.ms", 5000);
        try (KafkaProducer<String, byte[]> stranger = new KafkaProducer<>(plain)) {
            assertThrows(Exception.class, () -> stranger.send(new ProducerRecord<>("commands", "x", new byte[] {1}))
                    .get(10, TimeUnit.SECONDS), "a client without TLS and SASL sends nothing");
        }
        Map<String, Object> wrong = new KafkaSettings(bootstrap, client(tls, "cms-rm", "not-its-password"))
                .producer("it-wrong-password", null);
        try (KafkaProducer<String, byte[]> impostor = new KafkaProducer<>(wrong)) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> impostor.send(
                    new ProducerRecord<>("commands", "x", new byte[] {1})).get(20, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause(), e.toString());
        }

        // a node daemon's principal: may not write admin-requests (a forged launch), nor read it
        KafkaSettings node = new KafkaSettings(bootstrap, client(tls, "cms-node", password("cms-node")));
        try (KafkaProducer<String, byte[]> forger = new KafkaProducer<>(node.producer("it-forger", null))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> forger.send(new ProducerRecord<>(
                    "admin-requests", "light", "{}".getBytes(StandardCharsets.UTF_8))).get(20, TimeUnit.SECONDS));
            assertInstanceOf(TopicAuthorizationException.class, e.getCause(), e.toString());
        }
        try (KafkaConsumer<String, byte[]> reader = new KafkaConsumer<>(node.consumer("it-node-reader", null))) {
            assertThrows(TopicAuthorizationException.class, () -> reader.partitionsFor("admin-requests",
                    Duration.ofSeconds(20)).forEach(p -> { }));
        }
        // and the cloud still serves: nothing the strangers did reached it
        ok(cloud(api, "request", "light"), "");
        assertEquals(200, http.get("/api/health").status());
    }

    /** The shipped server.properties with only what differs for one node on loopback replaced. */
    private Properties brokerProperties(Path tls, int port, int controllerPort) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(SECURE.resolve("server.properties"))) {
            p.load(in);
        }
        p.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.setProperty("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.setProperty("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        p.setProperty("log.dirs", dir.resolve("kafka").resolve("logs").toString());
        p.setProperty("ssl.keystore.location", tls.resolve("kafka-1.p12").toString());
        p.setProperty("ssl.truststore.location", tls.resolve("truststore.p12").toString());
        for (String k : List.of("ssl.keystore.password", "ssl.key.password", "ssl.truststore.password")) {
            p.setProperty(k, STORES);
        }
        String jaas = "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config";
        p.setProperty(jaas, p.getProperty(jaas).replace("CHANGE_ME_ADMIN", ADMIN));
        for (String k : List.of("default.replication.factor", "min.insync.replicas", "offsets.topic.replication.factor",
                "transaction.state.log.replication.factor", "transaction.state.log.min.isr")) {
            p.setProperty(k, "1");
        }
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("offsets.topic.num.partitions", "3");
        p.setProperty("transaction.state.log.num.partitions", "3");
        for (String k : p.stringPropertyNames()) {
            assertTrue(!p.getProperty(k).contains("CHANGE_ME") && !p.getProperty(k).contains("10.0.0."),
                    k + " still has a placeholder: " + p.getProperty(k));
        }
        return p;
    }

    /** The shipped client.properties for {@code user}, as a map. */
    private static Map<String, String> client(Path tls, String user, String password) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(SECURE.resolve("client.properties"))) {
            p.load(in);
        }
        Map<String, String> out = new HashMap<>();
        for (String k : p.stringPropertyNames()) {
            out.put(k, p.getProperty(k).replace("username=\"cms-rm\"", "username=\"" + user + "\"")
                    .replace("password=\"CHANGE_ME\"", "password=\"" + password + "\"")
                    .replace("/etc/cms/kafka-truststore.p12", tls.resolve("truststore.p12").toString())
                    .replace("CHANGE_ME_STORES", STORES));
        }
        return out;
    }

    /** The same, as the file a service's CMS_KAFKA_CONFIG names. */
    private Path clientFile(Path tls, String user, String password) throws IOException {
        Properties p = new Properties();
        p.putAll(client(tls, user, password));
        Path file = dir.resolve(user + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "client properties of " + user);
        }
        return file;
    }

    private Settings settings(String bootstrap, Path tls, String user, Map<String, String> extra) throws IOException {
        Map<String, String> m = new HashMap<>(extra);
        m.put(KafkaSettings.KEY, bootstrap);
        m.put(KafkaSettings.CONFIG_KEY, clientFile(tls, user, password(user)).toString());
        m.putIfAbsent("CMS_HOST_ID", "secure-host");
        return new Settings(m);
    }

    private static String password(String user) {
        return user + "-" + Integer.toHexString(STORES.hashCode());
    }

    /** The admin token of the running test's install. */
    private static volatile String token;

    private static TestCluster.Run cloud(String api, String... args) {
        return TestCluster.cloudAt(api, token, args);
    }

    private static void ok(TestCluster.Run r, String expected) {
        assertEquals(0, r.exit(), () -> "exit code; out=" + r.out() + " err=" + r.err());
        assertTrue(r.out().contains(expected), () -> "expected '" + expected + "' in: " + r.out());
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
