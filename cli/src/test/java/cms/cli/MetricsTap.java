package cms.cli;

import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.event.MetricSample;
import cms.core.kafka.KafkaSettings;
import cms.core.topic.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Collects the node samples on {@code metrics} from now on, for assertions on what the daemon measured. */
final class MetricsTap implements AutoCloseable {

    private final List<MetricSample.NodeSample> samples = new CopyOnWriteArrayList<>();
    private final List<MetricSample> all = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    MetricsTap(String bootstrap) {
        cms.core.kafka.TopicCreator.ensureAll(new KafkaSettings(bootstrap)); // the tap may start before any service
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(new KafkaSettings(bootstrap)
                .consumer("it-metrics-tap", null));
        // just created, the topic may not be in the broker's metadata yet: an empty list would leave the tap unassigned
        List<TopicPartition> partitions = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> consumer.partitionsFor(Topics.METRICS.topicName()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList(), l -> !l.isEmpty());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        EventCodec codec = new EventCodec();
        thread = new Thread(() -> {
            try (consumer) {
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        try {
                            MetricSample m = codec.decode(r.value(), MetricSample.class);
                            all.add(m);
                            if (m instanceof MetricSample.NodeSample s) {
                                samples.add(s);
                            }
                        } catch (UndecodableRecordException e) {
                            throw new AssertionError("unreadable metric: " + e.getMessage());
                        }
                    }
                }
            }
        }, "it-metrics-tap");
        thread.start();
    }

    private List<Double> shares(String node, Instant from, Instant to) {
        List<Double> out = new ArrayList<>();
        for (MetricSample.NodeSample s : samples) {
            if (s.node().equals(node) && !s.at().isBefore(from) && s.at().isBefore(to)) {
                out.add(s.cpuShare());
            }
        }
        return out;
    }

    /** Every sample of this type seen so far. */
    <T extends MetricSample> List<T> all(Class<T> type) {
        return all.stream().filter(type::isInstance).map(type::cast).toList();
    }

    int count(String node, Instant from, Instant to) {
        return shares(node, from, to).size();
    }

    double median(String node, Instant from, Instant to) {
        List<Double> v = shares(node, from, to);
        if (v.isEmpty()) {
            throw new AssertionError("no samples of " + node + " between " + from + " and " + to);
        }
        v.sort(Double::compare);
        return v.get(v.size() / 2);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
