package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import cms.core.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class KafkaAclsTest {

    @Test
    void aLineIsOneAllowPerOperation() {
        List<AclBinding> acls = KafkaAcls.parse("User:cms-rm  TOPIC  LITERAL  pods  READ,WRITE", "t:1");
        assertEquals(2, acls.size());
        AclBinding read = acls.get(0);
        assertEquals(ResourceType.TOPIC, read.pattern().resourceType());
        assertEquals("pods", read.pattern().name());
        assertEquals(PatternType.LITERAL, read.pattern().patternType());
        assertEquals("User:cms-rm", read.entry().principal());
        assertEquals(AclOperation.READ, read.entry().operation());
        assertEquals(AclPermissionType.ALLOW, read.entry().permissionType());
        assertEquals(AclOperation.WRITE, acls.get(1).entry().operation());
    }

    @Test
    void badLinesNameTheirPlaceAndTheField() {
        assertEquals("t:3: expected 5 fields (principal resource pattern name operations), got 3",
                assertThrows(ConfigException.class, () -> KafkaAcls.parse("User:a TOPIC pods", "t:3")).getMessage());
        assertEquals("t:1: principal 'cms-rm' is not User:NAME", assertThrows(ConfigException.class,
                () -> KafkaAcls.parse("cms-rm TOPIC LITERAL pods READ", "t:1")).getMessage());
        assertEquals("t:1: unknown resource 'TOPICS'", assertThrows(ConfigException.class,
                () -> KafkaAcls.parse("User:a TOPICS LITERAL pods READ", "t:1")).getMessage());
        assertEquals("t:1: unknown operation 'REED'", assertThrows(ConfigException.class,
                () -> KafkaAcls.parse("User:a TOPIC LITERAL pods REED", "t:1")).getMessage());
        assertTrue(assertThrows(ConfigException.class, () -> KafkaAcls.parse("User:a TOPIC LITERAL pods ALL", "t:1"))
                .getMessage().contains("not one operation"));
        assertTrue(assertThrows(ConfigException.class, () -> KafkaAcls.parse("User:a ANY LITERAL pods READ", "t:1"))
                .getMessage().contains("concrete"));
    }

    /** The shipped table: a node daemon may not write pods nor read admin-requests; nobody gets ALL. */
    @Test
    void theShippedTableKeepsNodeDaemonsOffTheControlTopics() throws Exception {
        List<AclBinding> acls = KafkaAcls.read(Path.of("..", "deploy", "kafka", "secure", "acls.tsv"));
        Set<String> node = acls.stream().filter(a -> a.entry().principal().equals("User:cms-node"))
                .map(a -> a.pattern().name() + ":" + a.entry().operation()).collect(Collectors.toSet());
        assertTrue(node.contains("commands:READ") && node.contains("node-events:WRITE"), node.toString());
        assertTrue(!node.contains("pods:WRITE") && !node.contains("admin-requests:READ")
                && !node.contains("admin-requests:WRITE") && !node.contains("commands:WRITE"), node.toString());
        Set<String> principals = acls.stream().map(a -> a.entry().principal()).collect(Collectors.toSet());
        assertEquals(Set.of("User:cms-rm", "User:cms-web", "User:cms-balancer", "User:cms-elasticity", "User:cms-node"),
                principals);
    }
}
