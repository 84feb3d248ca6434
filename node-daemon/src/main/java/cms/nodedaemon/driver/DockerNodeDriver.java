package cms.nodedaemon.driver;

import cms.core.model.Workload;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
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
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes as Docker containers (docker-java): one container per node named {@code cms-<host>-<node>}, with the
 * pod's CPU quota and memory limit (no swap), labels naming host, pod and node, and the workload's port
 * published on the host's advertised address. Lifecycle changes come from Docker's event stream;
 * usage from Docker's stats stream of each container.
 */
public final class DockerNodeDriver implements NodeDriver {

    private static final Logger LOG = LoggerFactory.getLogger(DockerNodeDriver.class);
    static final String MANAGED = "cms.managed";
    static final String HOST = "cms.host";
    static final String POD = "cms.pod";
    static final String NODE = "cms.node";
    static final String CPU = "cms.cpu";
    private static final long CPU_PERIOD_US = 100_000;

    private final DockerClient docker;
    private final String hostId;
    private final String publishAddress;
    private final String workloadImage;
    private final NodePorts ports;
    private final Map<String, DockerStats> stats = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Closeable events;

    private DockerNodeDriver(DockerClient docker, String hostId, String publishAddress, String workloadImage,
                             NodePorts ports) {
        this.docker = docker;
        this.hostId = hostId;
        this.publishAddress = publishAddress;
        this.workloadImage = workloadImage;
        this.ports = ports;
        this.events = docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER)
                .withLabelFilter(Map.of(MANAGED, "true", HOST, hostId))
                .exec(new ResultCallback.Adapter<Event>() {
                    @Override
                    public void onNext(Event event) {
                        listeners.forEach(Runnable::run);
                    }
                });
    }

    /** Connects to the engine at {@code dockerHost} and checks that it answers. */
    public static DockerNodeDriver connect(String dockerHost, String hostId, String publishAddress,
                                           String workloadImage, NodePorts ports) {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost).build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig()).maxConnections(100)
                .connectionTimeout(Duration.ofSeconds(3)).responseTimeout(Duration.ofSeconds(60)).build();
        DockerClient docker = DockerClientImpl.getInstance(config, http);
        docker.pingCmd().exec();
        return new DockerNodeDriver(docker, hostId, publishAddress, workloadImage, ports);
    }

    @Override
    public String name() {
        return "docker";
    }

    /** Whether the engine has this image locally. */
    public boolean hasImage(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
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
        Optional<RunningNode> existing = find(spec.node());
        if (existing.isPresent()) {
            return existing.get();
        }
        Workload w = spec.workload();
        String image = w.isBuiltin() ? workloadImage : w.image();
        int containerPort = w.isBuiltin() ? Workload.BUILTIN_PORT : w.port();
        ensureImage(image);
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
        HostConfig hostConfig = HostConfig.newHostConfig()
                .withCpuPeriod(CPU_PERIOD_US).withCpuQuota(Math.round(spec.cpuLimit() * CPU_PERIOD_US))
                .withMemory(memory).withMemorySwap(memory)
                .withPortBindings(new PortBinding(binding, exposed));
        List<String> env = new ArrayList<>(List.of("NODE_NAME=" + spec.node(), "CMS_POD=" + spec.pod()));
        if (w.isBuiltin()) {
            env.addAll(List.of("WORKLOAD_KIND=" + w.builtin(), "PORT=" + containerPort));
        }
        String id = null;
        try {
            CreateContainerResponse created = docker.createContainerCmd(image).withName(containerName(spec.node()))
                    .withLabels(Map.of(MANAGED, "true", HOST, hostId, POD, spec.pod(), NODE, spec.node(),
                            CPU, String.valueOf(spec.cpuLimit())))
                    .withEnv(env).withExposedPorts(exposed).withHostConfig(hostConfig).exec();
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
        watchStats(spec.node(), id, spec.cpuLimit());
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

    private void ensureImage(String image) throws NodeStartException {
        try {
            docker.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException e) {
            LOG.info("image {} is not on this host; pulling it", image);
        }
        try {
            if (!docker.pullImageCmd(image).start().awaitCompletion(120, TimeUnit.SECONDS)) {
                throw new NodeStartException("image '" + image + "' could not be pulled within 120 s");
            }
        } catch (DockerException e) {
            throw new NodeStartException("image '" + image + "' is not on host " + hostId + " and could not be "
                    + "pulled: " + firstLine(e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NodeStartException("interrupted while pulling " + image, e);
        }
    }

    @Override
    public void stop(String node, Duration grace) {
        DockerStats s = stats.remove(node);
        if (s != null) {
            s.close();
        }
        String name = containerName(node);
        try {
            docker.stopContainerCmd(name).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
        } catch (NotModifiedException | NotFoundException e) {
            // already stopped, or gone
        }
        removeQuietly(name);
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
        List<RunningNode> out = new ArrayList<>();
        for (Container c : docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(MANAGED, "true", HOST, hostId)).exec()) {
            out.add(toNode(c));
        }
        return out;
    }

    private Optional<RunningNode> find(String node) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(MANAGED, "true", HOST, hostId, NODE, node)).exec().stream()
                .findFirst().map(this::toNode);
    }

    private RunningNode toNode(Container c) {
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
            stats.computeIfAbsent(node, n -> DockerStats.watch(docker, c.getId(), cpu));
            return new RunningNode(node, labels.get(POD), c.getId(), true, publishAddress, port, null, false, cpu);
        }
        InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(c.getId()).exec().getState();
        Long exit = state.getExitCodeLong();
        return new RunningNode(node, labels.get(POD), c.getId(), false, publishAddress, port,
                exit == null ? null : exit.intValue(), Boolean.TRUE.equals(state.getOOMKilled()), cpu);
    }

    private void watchStats(String node, String id, double cpu) {
        stats.computeIfAbsent(node, n -> DockerStats.watch(docker, id, cpu));
    }

    @Override
    public Optional<NodeUsage> usage(String node) {
        DockerStats s = stats.get(node);
        return s == null ? Optional.empty() : s.latest();
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
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
        try {
            events.close();
            docker.close();
        } catch (IOException e) {
            LOG.warn("closing the Docker client failed: {}", e.toString());
        }
    }
}
