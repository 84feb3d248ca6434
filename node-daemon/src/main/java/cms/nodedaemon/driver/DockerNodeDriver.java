package cms.nodedaemon.driver;

import cms.core.model.Workload;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import cms.nodedaemon.model.Backoff;
import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes as Docker containers (docker-java): one container per node named {@code cms-<host>-<node>}, with the
 * pod's CPU quota and memory limit (no swap), labels naming host, pod and node, and the workload's port
 * published on the host's advertised address. Lifecycle changes come from Docker's event stream;
 * usage from Docker's stats stream of each container. When the engine goes away (its event stream ends, or
 * a call cannot reach it) every call throws {@link DriverUnavailableException} until it answers again
 * ({@link DockerEngineWatch}); then the streams are subscribed again and the return listeners run, so that
 * the supervisor starts again the containers the engine stopped as it shut down.
 */
public final class DockerNodeDriver implements NodeDriver {

    private static final Logger LOG = LoggerFactory.getLogger(DockerNodeDriver.class);
    static final String MANAGED = "cms.managed";
    static final String HOST = "cms.host";
    static final String POD = "cms.pod";
    static final String NODE = "cms.node";
    static final String CPU = "cms.cpu";
    private static final long CPU_PERIOD_US = 100_000;
    private static final Set<String> SIGKILL = Set.of("9", "SIGKILL", "KILL");

    /** When the engine went away: try it again after 200 ms, doubling up to 2 s. */
    static final Backoff ENGINE_BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2));
    /** When a running container's stats stream ended: subscribe again after 1 s, doubling up to 30 s. */
    static final Backoff STATS_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    private final DockerClient docker;
    private final String hostId;
    private final String publishAddress;
    private final String workloadImage;
    private final NodePorts ports;
    private final NodeHardening hardening;
    private final DockerImages images;
    private final Clock clock;
    private final DockerEngineWatch engine;
    private final Map<String, DockerStats> stats = new ConcurrentHashMap<>();
    private final Map<String, Instant> stopSignals = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> returnListeners = new CopyOnWriteArrayList<>();

    private DockerNodeDriver(DockerClient docker, String dockerHost, String hostId, String publishAddress,
                             String workloadImage, NodePorts ports, NodeHardening hardening, Clock clock) {
        this.docker = docker;
        this.hostId = hostId;
        this.publishAddress = publishAddress;
        this.workloadImage = workloadImage;
        this.ports = ports;
        this.hardening = hardening;
        this.images = new DockerImages(docker, hostId, hardening);
        this.clock = clock;
        this.engine = new DockerEngineWatch(new DockerEngineWatch.Engine() {
            @Override
            public void ping() {
                docker.pingCmd().exec();
            }

            @Override
            public Closeable subscribe(Consumer<String> onEnd) {
                return docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER)
                        .withLabelFilter(Map.of(MANAGED, "true", HOST, hostId))
                        .exec(new ContainerEvents(DockerNodeDriver.this::onEvent, onEnd));
            }
        }, "the Docker engine at " + dockerHost, clock, ENGINE_BACKOFF, this::engineReturned);
    }

    /** Connects to the engine at {@code dockerHost} and checks that it answers; containers confined by {@code hardening}. */
    public static DockerNodeDriver connect(String dockerHost, String hostId, String publishAddress,
                                           String workloadImage, NodePorts ports, NodeHardening hardening,
                                           Clock clock) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).maxConnections(100)
                .connectionTimeout(Duration.ofSeconds(3)).responseTimeout(Duration.ofSeconds(60)).build();
        DockerNodeDriver driver = new DockerNodeDriver(DockerClientImpl.getInstance(config, http), dockerHost, hostId,
                publishAddress, workloadImage, ports, hardening, clock);
        try {
            driver.engine.connect();
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
        return driver;
    }

    /** A container event: a stop signal CMS did not send is noted (the engine may be shutting down). */
    private void onEvent(Event event) {
        Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
                ? Map.of() : event.getActor().getAttributes();
        String node = attributes.get(NODE);
        if (node != null && "kill".equals(event.getAction()) && !SIGKILL.contains(attributes.get("signal"))) {
            stopSignals.put(node, clock.instant());
        }
        listeners.forEach(Runnable::run);
    }

    /** The engine answers again: its old stats streams are dead, and so are the nodes' old states. */
    private void engineReturned() {
        stats.values().forEach(DockerStats::close);
        stats.clear();
        stopSignals.clear();
        returnListeners.forEach(Runnable::run);
        listeners.forEach(Runnable::run);
    }

    @Override
    public String name() {
        return "docker";
    }

    /** Whether the engine has this image locally. */
    public boolean hasImage(String image) {
        return engine.call(() -> {
            try {
                docker.inspectImageCmd(image).exec();
                return true;
            } catch (NotFoundException e) {
                return false;
            }
        });
    }

    /**
     * {@code cms-HOST-NODE}: container names are global to the engine, so the host id keeps two CMS hosts
     * (or clouds) that share one engine apart.
     */
    String containerName(String node) {
        return "cms-" + hostId.replaceAll("[^a-zA-Z0-9_.-]", "_") + "-" + node;
    }

    @Override
    public RunningNode start(NodeSpec spec) throws NodeStartException {
        return engine.callForStart(() -> {
            Optional<RunningNode> existing = find(spec.node());
            return existing.isPresent() ? existing.get() : create(spec);
        });
    }

    private RunningNode create(NodeSpec spec) throws NodeStartException {
        Workload w = spec.workload();
        String image = w.isBuiltin() ? workloadImage : w.image();
        int containerPort = w.isBuiltin() ? Workload.BUILTIN_PORT : w.port();
        ContainerConfig imageConfig = images.prepare(image, !w.isBuiltin());
        Integer hostPort;
        try {
            hostPort = ports.next(spec.node());
        } catch (IllegalStateException e) {
            throw new NodeStartException(e.getMessage(), e);
        }
        ExposedPort exposed = ExposedPort.tcp(containerPort);
        Ports.Binding binding = hostPort == null ? Ports.Binding.bindIp(publishAddress)
                : Ports.Binding.bindIpAndPort(publishAddress, hostPort);
        long memory = spec.memoryMb() * 1024L * 1024L;
        HostConfig hostConfig = hardening.apply(HostConfig.newHostConfig()
                .withCpuPeriod(CPU_PERIOD_US).withCpuQuota(Math.round(spec.cpuLimit() * CPU_PERIOD_US))
                .withMemory(memory).withMemorySwap(memory)
                .withPortBindings(new PortBinding(binding, exposed)), imageConfig.getLabels());
        List<String> env = new ArrayList<>(List.of("NODE_NAME=" + spec.node(), "CMS_POD=" + spec.pod()));
        if (w.isBuiltin()) {
            env.addAll(List.of("WORKLOAD_KIND=" + w.builtin(), "PORT=" + containerPort));
        }
        String id = null;
        try {
            CreateContainerCmd cmd = docker.createContainerCmd(image).withName(containerName(spec.node()))
                    .withLabels(Map.of(MANAGED, "true", HOST, hostId, POD, spec.pod(), NODE, spec.node(),
                            CPU, String.valueOf(spec.cpuLimit())))
                    .withEnv(env).withExposedPorts(exposed).withHostConfig(hostConfig);
            CreateContainerResponse created = (hardening.user() == null ? cmd : cmd.withUser(hardening.user())).exec();
            id = created.getId();
            docker.startContainerCmd(id).exec();
        } catch (ConflictException e) {
            return find(spec.node()).orElseThrow(() -> new NodeStartException("container name "
                    + containerName(spec.node()) + " is taken: " + firstLine(e.getMessage()), e));
        } catch (DockerException e) {
            removeQuietly(id);
            ports.release(spec.node());
            throw new NodeStartException(startFailure(e, hostPort), e);
        }
        stopSignals.remove(spec.node());
        LOG.info("node={} pod={} container {} started from {} ({} CPU, {} MB)", spec.node(), spec.pod(),
                id.substring(0, 12), image, spec.cpuLimit(), spec.memoryMb());
        return find(spec.node()).orElseThrow(() -> new NodeStartException("container of " + spec.node()
                + " vanished right after it started"));
    }

    private String startFailure(DockerException e, Integer hostPort) {
        String message = firstLine(e.getMessage());
        if (message.contains("port is already allocated") || message.contains("address already in use")) {
            return "port " + publishAddress + ":" + hostPort + " is already in use: " + message;
        }
        return "docker refused to start it: " + message;
    }

    @Override
    public RunningNode restart(String node) throws NodeStartException {
        return engine.callForStart(() -> {
            String name = containerName(node);
            try {
                docker.startContainerCmd(name).exec();
            } catch (NotModifiedException e) {
                // running already
            } catch (NotFoundException e) {
                throw new NodeStartException("its container " + name + " is gone", e);
            } catch (DockerException e) {
                throw new NodeStartException("docker refused to start its container again: "
                        + firstLine(e.getMessage()), e);
            }
            stopSignals.remove(node);
            LOG.info("node={} container {} started again", node, name);
            return find(node).orElseThrow(() -> new NodeStartException("container of " + node
                    + " vanished right after it started again"));
        });
    }

    @Override
    public void stop(String node, Duration grace) {
        DockerStats s = stats.remove(node);
        if (s != null) {
            s.close();
        }
        String name = containerName(node);
        engine.call(() -> {
            try {
                docker.stopContainerCmd(name).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
            } catch (NotModifiedException | NotFoundException e) {
                // already stopped, or gone
            }
            removeQuietly(name);
            return null;
        });
        stopSignals.remove(node);
        ports.release(node);
    }

    private void removeQuietly(String idOrName) {
        if (idOrName == null) {
            return;
        }
        try {
            docker.removeContainerCmd(idOrName).withForce(true).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (DockerException e) {
            LOG.warn("container {} could not be removed: {}", idOrName, firstLine(e.getMessage()));
        }
    }

    @Override
    public List<RunningNode> list() {
        return engine.call(() -> {
            List<RunningNode> out = new ArrayList<>();
            for (Container c : docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(MANAGED, "true", HOST, hostId)).exec()) {
                toNode(c).ifPresent(out::add);
            }
            return out;
        });
    }

    private Optional<RunningNode> find(String node) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(MANAGED, "true", HOST, hostId, NODE, node)).exec().stream()
                .findFirst().flatMap(this::toNode);
    }

    /** The node of a listed container; empty when it was removed between the listing and its inspection. */
    private Optional<RunningNode> toNode(Container c) {
        Map<String, String> labels = c.getLabels();
        String node = labels.get(NODE);
        double cpu = Double.parseDouble(labels.getOrDefault(CPU, "1"));
        boolean running = "running".equals(c.getState());
        Integer port = null;
        for (ContainerPort p : c.getPorts()) {
            if (p.getPublicPort() != null) {
                port = p.getPublicPort();
            }
        }
        if (running) {
            ports.claim(node, port);
            stats.compute(node, (n, s) -> s == null ? DockerStats.watch(docker, c.getId(), cpu, clock, 0)
                    : s.again(docker, c.getId(), STATS_BACKOFF));
            return Optional.of(new RunningNode(node, labels.get(POD), c.getId(), true, publishAddress, port, null,
                    false, cpu));
        }
        InspectContainerResponse.ContainerState state;
        try {
            state = docker.inspectContainerCmd(c.getId()).exec().getState();
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        Long exit = state.getExitCodeLong();
        return Optional.of(new RunningNode(node, labels.get(POD), c.getId(), false, publishAddress, port,
                exit == null ? null : exit.intValue(), Boolean.TRUE.equals(state.getOOMKilled()), cpu,
                stopSignals.get(node)));
    }

    @Override
    public Optional<NodeUsage> usage(String node) {
        DockerStats s = engine.up() ? stats.get(node) : null;
        return s == null ? Optional.empty() : s.latest();
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    @Override
    public void onReturn(Runnable listener) {
        returnListeners.add(listener);
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        String m = message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        stats.values().forEach(DockerStats::close);
        stats.clear();
        engine.close();
        try {
            docker.close();
        } catch (IOException e) {
            LOG.warn("closing the Docker client failed: {}", e.toString());
        }
    }
}
