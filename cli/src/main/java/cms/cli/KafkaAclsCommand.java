package cms.cli;

import cms.core.config.Settings;
import cms.core.kafka.KafkaSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cms kafka-acls --file deploy/kafka/secure/acls.tsv}: creates the ACLs of the table on the cluster
 * of {@code CMS_KAFKA}, as the principal of {@code CMS_KAFKA_CONFIG} (a super user). Idempotent: Kafka keeps
 * one copy of an ACL created twice.
 */
@Command(name = "kafka-acls", mixinStandardHelpOptions = true,
        description = "Create the ACLs of a secured CMS cluster from a table (deploy/kafka/secure/acls.tsv).")
final class KafkaAclsCommand implements Callable<Integer> {

    @Option(names = "--file", required = true, description = "the ACL table (principal resource pattern name operations)")
    Path file;

    private final Map<String, String> env;
    private final PrintStream out;

    KafkaAclsCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        List<AclBinding> acls = KafkaAcls.read(file);
        apply(KafkaSettings.from(new Settings(env)), acls);
        out.println("kafka-acls: " + acls.size() + " ACLs in place from " + file);
        return 0;
    }

    /**
     * Creates {@code acls} on the cluster and returns once the broker authorizes by them, waiting at most 30 s: the
     * controller has them when {@code createAcls} completes, the broker a moment later, and a service started in
     * that moment was refused (a transactional id not yet allowed is a fatal error to its loop).
     */
    static void apply(KafkaSettings kafka, List<AclBinding> acls) throws Exception {
        try (Admin admin = Admin.create(kafka.common("cms-kafka-acls"))) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
            Poll.until("the broker shows every ACL created", Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> shows(admin, acls));
        }
    }

    private static boolean shows(Admin admin, List<AclBinding> acls) {
        try {
            return admin.describeAcls(AclBindingFilter.ANY).values().get(30, TimeUnit.SECONDS).containsAll(acls);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the ACLs", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot read the ACLs back: " + e.getMessage(), e);
        }
    }
}
