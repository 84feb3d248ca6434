import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One idempotent acks=all produce at a time to a one-partition topic "probe1", N times (-Dn, default 500):
 * p50 and p90 of the send until acknowledged. -Dbs=HOST:PORT (default 127.0.0.1:19092, `cms kafka --port 19092`).
 */
public class ProduceProbe {
    public static void main(String[] a) throws Exception {
        String bs = System.getProperty("bs", "127.0.0.1:19092");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bs))) {
            admin.createTopics(List.of(new NewTopic("probe1", 1, (short) 1))).all().get();
        } catch (Exception exists) {
            // made by an earlier run
        }
        Properties p = new Properties();
        p.put("bootstrap.servers", bs);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "0");
        long[] d = new long[Integer.getInteger("n", 500)];
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < d.length; i++) {
                long t0 = System.nanoTime();
                producer.send(new ProducerRecord<>("probe1", 0, "k", "v" + i)).get();
                d[i] = System.nanoTime() - t0;
            }
        }
        Arrays.sort(d);
        System.out.printf("%d sends: p50 %.2f ms, p90 %.2f ms%n", d.length, d[d.length / 2] / 1e6, d[d.length * 9 / 10] / 1e6);
    }
}
