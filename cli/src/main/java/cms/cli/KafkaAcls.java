package cms.cli;

import cms.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs of a secured CMS cluster, from a tab-separated table ({@code deploy/kafka/secure/acls.tsv}):
 * {@code principal  resource  pattern  name  operations}, e.g. {@code User:cms-rm  TOPIC  LITERAL  pods
 * READ,WRITE}. Every line allows; with {@code allow.everyone.if.no.acl.found=false} on the brokers, what no
 * line allows is denied. Blank lines and {@code #} comments are skipped; a bad line is an error naming its
 * number.
 */
final class KafkaAcls {

    private KafkaAcls() {
    }

    static List<AclBinding> read(Path file) throws IOException {
        List<AclBinding> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            out.addAll(parse(line, file + ":" + (i + 1)));
        }
        return out;
    }

    static List<AclBinding> parse(String line, String where) {
        String[] f = line.split("\\s+");
        if (f.length != 5) {
            throw new ConfigException(where + ": expected 5 fields (principal resource pattern name operations), got "
                    + f.length);
        }
        if (!f[0].startsWith("User:") || f[0].length() == 5) {
            throw new ConfigException(where + ": principal '" + f[0] + "' is not User:NAME");
        }
        ResourceType type = value(ResourceType.class, f[1], where, "resource");
        PatternType pattern = value(PatternType.class, f[2], where, "pattern");
        if (type == ResourceType.ANY || type == ResourceType.UNKNOWN || (pattern != PatternType.LITERAL
                && pattern != PatternType.PREFIXED)) {
            throw new ConfigException(where + ": resource and pattern must be concrete (TOPIC, GROUP, "
                    + "TRANSACTIONAL_ID, CLUSTER; LITERAL or PREFIXED)");
        }
        ResourcePattern resource = new ResourcePattern(type, f[3], pattern);
        List<AclBinding> out = new ArrayList<>();
        for (String op : f[4].split(",")) {
            AclOperation operation = value(AclOperation.class, op, where, "operation");
            if (operation == AclOperation.ANY || operation == AclOperation.UNKNOWN || operation == AclOperation.ALL) {
                throw new ConfigException(where + ": operation '" + op + "' is not one operation");
            }
            out.add(new AclBinding(resource, new AccessControlEntry(f[0], "*", operation, AclPermissionType.ALLOW)));
        }
        return out;
    }

    private static <E extends Enum<E>> E value(Class<E> type, String text, String where, String what) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": unknown " + what + " '" + text + "'");
        }
    }
}
