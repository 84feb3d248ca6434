package cms.nodedaemon;


import cms.core.codec.EventCodec;
import cms.core.event.Ids;
import cms.core.event.NodeCommand;
import cms.core.codec.UndecodableRecordException;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.Liveness;
import cms.core.kafka.EventPublisher;
import cms.core.metrics.ServiceMetrics;
import cms.core.kafka.PodSnapshots;
import cms.core.kafka.TopicCreator;
import cms.core.model.Node;
import cms.core.model.Pod;
import cms.core.topic.Topics;
import cms.nodedaemon.driver.DockerNodeDriver;
import cms.nodedaemon.driver.NodeDriver;
import cms.nodedaemon.driver.RunningNode;
import cms.nodedaemon.driver.NodePorts;
import cms.nodedaemon.driver.ProcessNodeDriver;
import cms.nodedaemon.model.AdoptionPlan;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host's node daemon: chooses its driver, adopts or removes the nodes it finds according to the
 * desired state in {@code pods}, then joins (heartbeats), supervises its nodes and carries out the
 * commands for its host. Stopping the daemon leaves its nodes running; a restarted one adopts them.
 */
public final class NodeDaemon implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeDaemon.class);

    private final NodeDaemonConfig config;
    private final EventCodec codec;
    private final Clock clock;
    private final List<AutoCloseable> parts = new ArrayList<>();
    private NodeDriver driver;
    private String driverNote;
    private NodeSupervisor supervisor;
    private CommandLoop commands;
    private final Liveness liveness;
    private final java.util.function.Consumer<String> onFatal;
    private final ServiceMetrics metrics;

    public NodeDaemon(NodeDaemonConfig config, EventCodec codec, Clock clock) {
        this(config, codec, clock, null, reason -> { });
    }

    /** {@code liveness} (may be null) gets the command loop's health; {@code onFatal} is told when it cannot go on. */
    public NodeDaemon(NodeDaemonConfig config, EventCodec codec, Clock clock, Liveness liveness,
                      java.util.function.Consumer<String> onFatal) {
        this(config, codec, clock, liveness, onFatal, ServiceMetrics.none());
    }

    /** {@code metrics}: the service's meters, told what the daemon publishes (node and host usage). */
    public NodeDaemon(NodeDaemonConfig config, EventCodec codec, Clock clock, Liveness liveness,
                      java.util.function.Consumer<String> onFatal, ServiceMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.codec = codec;
        this.clock = clock;
        this.liveness = liveness;
        this.onFatal = onFatal;
    }

    public synchronized NodeDaemon start() {
        HostConfig host = config.host();
        TopicCreator.ensureAll(host.kafka());
        driver = chooseDriver();
        parts.add(driver);
        // the supervisor's thread publishes: while Kafka is away a send may block it 2 s at most (not 60 s), so
        // nodes are still watched; what is sent meanwhile waits in the producer for 2 minutes
        Map<String, Object> producerProps = host.kafka().producer("cms-node-daemon-" + host.hostId(), null);
        producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps);
        parts.add(0, producer);
        EventPublisher publisher = new EventPublisher(producer, codec, metrics.tap());
        supervisor = new NodeSupervisor(host.hostId(), driver, publisher, new HealthProbe(), clock,
                config.startTimeout(), config.stopGrace());
        parts.add(0, supervisor);
        List<Pod> pods = wantedPods();
        List<AdoptionPlan.Step> plan = AdoptionPlan.plan(AdoptionPlan.wanted(pods.stream()
                .flatMap(p -> p.nodes().stream()).toList(), host.hostId()), driver.list(), host.hostId(), clock.instant());
        supervisor.adopt(plan, pods.stream().collect(java.util.stream.Collectors.toMap(Pod::name,
                p -> p.workload().healthPath())));
        supervisor.start(config.checkEvery());
        HostAgent agent = new HostAgent(host, publisher, new HostProbe(), clock);
        parts.add(0, agent);
        agent.start();
        commands = new CommandLoop(host.hostId(), clock, host.kafka(), codec, supervisor, liveness, onFatal, metrics);
        parts.add(0, commands);
        commands.start();
        LOG.info("host={} node daemon running with the {} driver ({} node(s) adopted)", host.hostId(),
                driver.name(), plan.stream().filter(s -> s instanceof AdoptionPlan.Adopt).count());
        return this;
    }

    public HostConfig host() {
        return config.host();
    }

    /** Which driver runs the nodes, and why. */
    public String driverDescription() {
        return driver.name() + (driverNote == null ? "" : " (" + driverNote + ")");
    }

    private NodeDriver chooseDriver() {
        HostConfig host = config.host();
        NodePorts ports = NodePorts.parse(config.nodePorts());
        if (!config.driver().equals("process")) {
            try {
                DockerNodeDriver docker = DockerNodeDriver.connect(config.dockerHost(), host.hostId(), host.address(),
                        config.workloadImage(), ports, config.hardening(), clock);
                if (config.driver().equals("docker") || docker.hasImage(config.workloadImage())) {
                    driverNote = "engine at " + config.dockerHost() + ", image " + config.workloadImage() + "; "
                            + config.hardening().describe();
                    return docker;
                }
                docker.close();
                driverNote = "Docker answers at " + config.dockerHost() + " but has no image " + config.workloadImage()
                        + "; build it with deploy/images/build.sh";
            } catch (RuntimeException e) {
                if (config.driver().equals("docker")) {
                    throw new IllegalStateException("CMS_NODE_DRIVER=docker but no Docker engine answers at "
                            + config.dockerHost() + ": " + e.getMessage(), e);
                }
                driverNote = "no Docker engine at " + config.dockerHost();
            }
        }
        LOG.info("host={} nodes run as local processes: {}", host.hostId(), driverNote == null ? "chosen" : driverNote);
        return new ProcessNodeDriver(config.nodeDir(), host.address(), ports, System.getProperty("java.class.path"));
    }

    private List<Pod> wantedPods() {
        Map<String, Pod> pods = new HashMap<>();
        CompactedTopicReader.readAll(config.host().kafka(), "cms-node-daemon-loader", Topics.PODS, Duration.ofSeconds(60),
                r -> {
                    try {
                        PodSnapshots.apply(pods, r, codec);
                    } catch (UndecodableRecordException e) {
                        LOG.warn("pods offset={} skipped: {}", r.offset(), e.getMessage());
                    }
                });
        return List.copyOf(pods.values());
    }

    /** The nodes this host's driver runs or holds now. */
    public List<cms.nodedaemon.driver.RunningNode> nodes() {
        return driver.list();
    }

    /**
     * Decommissions this host: stops and removes every node it runs (without reporting them; the
     * resource manager learns of them as the host goes away). Used before a host is retired, and by tests.
     */
    public synchronized void removeAllNodes() {
        if (commands != null) {
            commands.close(); // no launch command may start a node while they go
        }
        for (RunningNode n : driver.list()) {
            if (supervisor != null) {
                // through the supervisor, so each is reported STOPPED (not FAILED: it did not die by itself)
                supervisor.stop(new NodeCommand.StopNode(Ids.next(), 1, clock.instant(), config.host().hostId(),
                        n.node(), n.pod()));
            } else {
                driver.stop(n.node(), config.stopGrace());
            }
        }
    }

    @Override
    public synchronized void close() {
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", part.getClass().getSimpleName(), e.toString());
            }
        }
        parts.clear();
    }
}
