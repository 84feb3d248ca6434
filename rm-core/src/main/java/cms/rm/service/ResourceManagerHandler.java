package cms.rm.service;

import cms.core.auth.TokenBook;
import cms.core.codec.EventCodec;
import cms.core.codec.UndecodableRecordException;
import cms.core.codec.JobIntake;
import cms.core.event.AdminRequest;
import cms.core.event.HostEvent;
import cms.core.event.Ids;
import cms.core.event.JobSubmission;
import cms.core.event.NodeCommand;
import cms.core.event.NodeEvent;
import cms.core.event.PodsRecord;
import cms.core.event.ScalingDecision;
import cms.core.event.TokenRecord;
import cms.core.kafka.CompactedTopicReader;
import cms.core.kafka.EventPublisher;
import cms.core.kafka.Faults;
import cms.core.kafka.LoopHandler;
import cms.core.kafka.LoopSession;
import cms.core.kafka.TopicCreator;
import cms.core.model.Node;
import cms.core.topic.Topics;
import cms.rm.model.AdminDecisions;
import cms.rm.model.CloudState;
import cms.rm.model.DrainTimeouts;
import cms.rm.model.HostDrains;
import cms.rm.model.HostAdmission;
import cms.rm.model.HostLiveness;
import cms.rm.model.JobAborts;
import cms.rm.model.NodeRepairs;
import cms.rm.model.ObservedDecisions;
import cms.rm.model.Outcome;
import cms.rm.model.PodSnapshotBatch;
import cms.rm.model.ScalingDecisions;
import cms.rm.model.TokenDecisions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the resource manager does with each input and each turn of its {@link cms.core.kafka.ConsumerLoop}:
 * decodes a record, asks the pure decisions ({@link AdminDecisions}, {@link ObservedDecisions},
 * {@link ScalingDecisions}, the {@link cms.rm.model.JobBook}) what it means, and publishes their outcome
 * in the loop's transaction; once a second it repairs what no input will (hosts silent past the liveness
 * setting declared lost, drains that timed out, nodes moved off drained hosts, elastic nodes waiting for room,
 * failed nodes due for their
 * restart, nodes stuck STARTING, old nodes to forget). Its state is rebuilt from {@code pods} and
 * {@code job-state} each time the loop opens new clients; hosts from their heartbeats.
 */
final class ResourceManagerHandler implements LoopHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ResourceManagerHandler.class);
    /** How long a read of a state topic at start may go without progress (not its whole length). */
    static final Duration LOAD_TIMEOUT = Duration.ofSeconds(60);

    private final ResourceManagerConfig config;
    private final EventCodec codec;
    private final Clock clock;
    private final AdminDecisions decisions;
    private final ScalingDecisions scaling;
    private final JobRuntime jobs;
    private final Set<String> stopsSent = new HashSet<>();
    private final List<String> stopsInTransaction = new ArrayList<>();
    private final PodSnapshotBatch snapshots = new PodSnapshotBatch();
    private volatile CloudState state = CloudState.empty();
    /** The API tokens as {@code tokens} holds them (the resource manager is its only writer). */
    private TokenBook tokens = new TokenBook();
    /** Token records of the open transaction: applied to {@link #tokens} once it commits. */
    private final List<Runnable> tokenChanges = new ArrayList<>();
    /** Hosts admitted in the open transaction (their HostAdmitted records are not committed yet). */
    private final Set<String> admittedInTransaction = new HashSet<>();
    /**
     * Hosts that presented a join token this resource manager has not read yet (stored by an install step straight
     * on {@code tokens}, read after the host's HostJoined): admitted when the token arrives. At most
     * {@value #PENDING_JOINS}.
     */
    private final java.util.Map<String, HostEvent.HostJoined> pendingJoins = new java.util.LinkedHashMap<>();
    private static final int PENDING_JOINS = 10_000;
    /** When each refused host was last logged, so that a refused host's heartbeats do not flood the log. */
    private final java.util.Map<String, Instant> refusalLogged = new java.util.HashMap<>();
    /** Whether the install's admin token ({@code CMS_RM_ADMIN_TOKEN_FILE}) is still to be checked and stored. */
    private boolean bootstrapDue;
    private HostLiveness.Hearing hearing = HostLiveness.Hearing.NONE;
    private Instant lastTick;

    ResourceManagerHandler(ResourceManagerConfig config, EventCodec codec, Clock clock, JobRuntime jobs) {
        this.config = config;
        this.codec = codec;
        this.clock = clock;
        this.jobs = jobs;
        this.decisions = new AdminDecisions(config.placement(), config.frontendBasePort(), config.images());
        this.scaling = new ScalingDecisions(config.placement());
    }

    CloudState state() {
        return state;
    }

    @Override
    public void onOpen(LoopSession session) {
        TopicCreator.ensureAll(config.kafka());
        // the jobs (the largest of the three) are read on their own thread while pods and tokens are read here
        java.util.concurrent.FutureTask<Void> jobsLoaded = new java.util.concurrent.FutureTask<>(
                () -> jobs.reload(LOAD_TIMEOUT), null);
        new Thread(jobsLoaded, "cms-rm-jobs-loader").start();
        try {
            state = new PodsStateLoader(config.kafka(), codec).load(LOAD_TIMEOUT);
            tokens = loadTokens();
        } catch (RuntimeException e) {
            jobsLoaded.cancel(true);
            throw e;
        }
        awaitLoaded(jobsLoaded);
        tokenChanges.clear();
        admittedInTransaction.clear();
        bootstrapDue = config.adminToken() != null;
        if (!bootstrapDue && tokens.list().stream().noneMatch(t -> "admin".equals(t.role()) && t.validAt(clock.instant()))) {
            LOG.warn("tokens: no admin token is stored, so no one can manage this cloud through the API; make one "
                    + "with `cms token generate --out FILE` and start the resource manager with "
                    + "CMS_RM_ADMIN_TOKEN_FILE=FILE (deploy/README.md, step 4)");
        }
        lastTick = null;
        hearing = HostLiveness.Hearing.NONE;
        stopsSent.clear();
        snapshots.clear();
        LOG.info("resource manager open: {} pod(s)", state.pods().size());
    }

    /** Waits for the jobs' rebuild; its failure is this opening's (the loop retries it as any fault of onOpen). */
    private static void awaitLoaded(java.util.concurrent.FutureTask<Void> loaded) {
        try {
            loaded.get();
        } catch (InterruptedException e) {
            loaded.cancel(true);
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("rebuilding the jobs failed: " + e.getCause(), e.getCause());
        }
    }

    /** Every record of {@code tokens}; one that cannot be read is logged and left out (it is no token then). */
    private TokenBook loadTokens() {
        TokenBook book = new TokenBook();
        int read = CompactedTopicReader.readAll(config.kafka(), "cms-rm-tokens", Topics.TOKENS, LOAD_TIMEOUT, r -> {
            try {
                book.apply(r.key(), r.value() == null ? null : codec.decode(r.value(), TokenRecord.class));
            } catch (UndecodableRecordException | RuntimeException e) {
                LOG.error("tokens record at offset {} not read: {}", r.offset(), e.getMessage());
            }
        });
        LOG.info("tokens: {} record(s) read, {} API token(s)", read, book.list().size());
        return book;
    }

    @Override
    public void onRecord(ConsumerRecord<String, byte[]> r, LoopSession session) throws Exception {
        EventPublisher publisher = session.publisher();
        Topics topic = Topics.byName(r.topic());
        switch (topic) {
            case ADMIN_REQUESTS -> admin(codec.decode(r.value(), AdminRequest.class), publisher);
            case JOBS -> {
                JobSubmission.JobSubmitted submitted = JobIntake.read(codec.mapper(), r.key(), r.value(),
                        r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()));
                int bytes = submitted.payload() == null ? 0
                        : submitted.payload().toString().getBytes(StandardCharsets.UTF_8).length;
                var source = r.headers().lastHeader(JobIntake.SOURCE_HEADER);
                jobs.book().submit(submitted, bytes, source == null ? "kafka"
                        : new String(source.value(), StandardCharsets.UTF_8), state, clock.instant())
                        .ifPresent(e -> jobs.publish(e, publisher));
            }
            case NODE_EVENTS -> {
                NodeEvent event = codec.decode(r.value(), NodeEvent.class);
                String host = event.reportingHost();
                if (!HostAdmission.listensTo(config.hostAdmission(), this::admitted, config.trustedHosts(), host)) {
                    refused(host, "node event " + event.getClass().getSimpleName() + " of node " + event.node()
                            + " from a host that has not joined; ignored");
                    return;
                }
                publish(ObservedDecisions.apply(state, event, clock.instant()), publisher);
            }
            case TOKENS -> {
                TokenRecord record = r.value() == null ? null : codec.decode(r.value(), TokenRecord.class);
                tokens.apply(r.key(), record);
                if (record instanceof TokenRecord.JoinToken join) {
                    HostEvent.HostJoined waiting = pendingJoins.remove(join.hostId());
                    if (waiting != null && admit(waiting, publisher)) {
                        hostEvent(waiting, publisher);
                    }
                }
            }
            case HOST_EVENTS -> {
                HostEvent event = codec.decode(r.value(), HostEvent.class);
                if (event instanceof HostEvent.HostLost || admit(event, publisher)) {
                    hostEvent(event, publisher);
                }
            }
            case SCALING -> {
                ScalingDecision decision = codec.decode(r.value(), ScalingDecision.class);
                LOG.info("pod={} scaling {} -> {}: {}", decision.pod(), decision.fromNodes(), decision.toNodes(),
                        decision.reason());
                publish(scaling.apply(state, decision, clock.instant()), publisher);
            }
            default -> throw new IllegalArgumentException("the resource manager does not read topic " + r.topic());
        }
    }

    private boolean admitted(String host) {
        return tokens.admitted(host) || admittedInTransaction.contains(host);
    }

    /**
     * Whether the resource manager listens to this host ({@link HostAdmission}); a host that presents a valid join
     * token is admitted here: its {@code HostAdmitted} is written and the token used up, in this transaction.
     */
    private boolean admit(HostEvent event, EventPublisher publisher) {
        HostAdmission.Decision d = HostAdmission.decide(config.hostAdmission(), this::admitted, config.trustedHosts(),
                event, tokens, clock.instant());
        if (!d.admitted()) {
            if (event instanceof HostEvent.HostJoined joined && joined.joinToken() != null
                    && d.refusal().contains("unknown") && pendingJoins.size() < PENDING_JOINS) {
                pendingJoins.put(joined.hostId(), joined); // its token may be on its way: checked again when read
            }
            refused(event.hostId(), d.refusal());
            return false;
        }
        if (d.used() != null) {
            TokenRecord.HostAdmitted admittedRecord = new TokenRecord.HostAdmitted(Ids.next(), 1, clock.instant(),
                    event.hostId(), d.used().id());
            publisher.publish(Topics.TOKENS, admittedRecord);
            publisher.tombstone(Topics.TOKENS, d.used().key());
            admittedInTransaction.add(event.hostId());
            String usedKey = d.used().key();
            tokenChanges.add(() -> {
                tokens.apply(admittedRecord.key(), admittedRecord);
                tokens.apply(usedKey, null);
                admittedInTransaction.remove(event.hostId());
            });
            LOG.info("host={} admitted with join token {}", event.hostId(), d.used().id());
        }
        return true;
    }

    /** Logs a refused host at most once a minute. */
    private void refused(String host, String why) {
        Instant now = clock.instant();
        Instant last = refusalLogged.get(host);
        if (last == null || !now.isBefore(last.plusSeconds(60))) {
            refusalLogged.put(host, now);
            LOG.warn("{}", why);
        }
    }

    /** A host heard from; one that was lost is told to stop the nodes it ran (they run elsewhere now). */
    private void hostEvent(HostEvent event, EventPublisher publisher) {
        Instant now = clock.instant();
        if (!(event instanceof HostEvent.HostLost)) {
            hearing = hearing.heard(now, config.hostLiveness());
        }
        Outcome outcome = HostLiveness.observe(state, event, now);
        if (!outcome.commands().isEmpty()) {
            LOG.info("host={} heard from again after it was lost; telling it to stop {} node(s) it ran",
                    event.hostId(), outcome.commands().size());
        }
        publish(outcome, publisher);
    }

    /** Every request gets a reply: a request that cannot be applied is answered 500 with the reason. */
    private void admin(AdminRequest request, EventPublisher publisher) {
        Outcome.Reply reply;
        try {
            if (request instanceof AdminRequest.AbortJob abort) {
                reply = abortJob(abort, publisher);
            } else if (request instanceof AdminRequest.CreateToken create) {
                reply = token(TokenDecisions.create(tokens, create, clock.instant()), publisher);
            } else if (request instanceof AdminRequest.RevokeToken revoke) {
                reply = token(TokenDecisions.revoke(tokens, revoke), publisher);
            } else if (request instanceof AdminRequest.CreateJoinToken join) {
                TokenDecisions.JoinResult result = TokenDecisions.createJoin(join, clock.instant());
                if (result.put() != null) {
                    TokenRecord.JoinToken t = result.put();
                    publisher.publish(Topics.TOKENS, t);
                    tokenChanges.add(() -> tokens.apply(t.key(), t));
                }
                reply = result.reply();
            } else {
                Outcome outcome = decisions.decide(state, request, clock.instant());
                publish(outcome, publisher);
                reply = outcome.reply();
            }
        } catch (RuntimeException e) {
            if (Faults.ofRecord(e) != Faults.Kind.RECORD) {
                throw e;
            }
            LOG.error("request={} {} could not be applied", request.eventId(), request.getClass().getSimpleName(), e);
            reply = Outcome.Reply.of(500, "could not be applied: " + Faults.describe(e), null);
        }
        LOG.info("request={} {} -> {} {}", request.eventId(), request.getClass().getSimpleName(), reply.status(),
                reply.message());
        publisher.publish(Topics.ADMIN_REPLIES, reply.toEvent(Ids.next(), clock.instant(), request.eventId(),
                reply.body() == null ? null : codec.mapper().valueToTree(reply.body())));
    }

    /** A token decision's record written in the transaction, and kept once it commits. */
    private Outcome.Reply token(TokenDecisions.Result result, EventPublisher publisher) {
        if (result.put() != null) {
            TokenRecord.ApiToken t = result.put();
            publisher.publish(Topics.TOKENS, t);
            tokenChanges.add(() -> tokens.apply(t.id(), t));
        } else if (result.tombstone() != null) {
            String id = result.tombstone();
            publisher.tombstone(Topics.TOKENS, id);
            tokenChanges.add(() -> tokens.apply(id, null));
        }
        return result.reply();
    }

    private Outcome.Reply abortJob(AdminRequest.AbortJob request, EventPublisher publisher) {
        JobAborts.Decision decision = JobAborts.decide(jobs.book(), request, clock.instant());
        if (decision.event() != null) {
            jobs.publish(decision.event(), publisher);
        }
        return decision.reply();
    }

    @Override
    public boolean wantsTurn(Instant now) {
        if (bootstrapDue) {
            return true;
        }
        if (tickDue(now)) {
            if (repairsWanted(now)) {
                return true;
            }
            lastTick = now; // nothing to repair this second: do not plan the repairs again at every poll
        }
        return jobs.wantsTurn(state, now);
    }

    private boolean tickDue(Instant now) {
        return lastTick == null || !now.isBefore(lastTick.plusSeconds(1));
    }

    private boolean repairsWanted(Instant now) {
        if (!lostHosts(now).lost().isEmpty()) {
            return true;
        }
        Outcome drains = drains(state, now).outcome();
        if (!drains.changedPods().isEmpty()) {
            return true;
        }
        Outcome launches = scaling.launchWaiting(state, now);
        return !dueStops(now).isEmpty() || !launches.commands().isEmpty()
                || !repairs(launches.state(), now).changedPods().isEmpty();
    }

    /** Nodes moved off drained hosts: replacements launched, old nodes drained once their replacement serves. */
    private HostDrains.Result drains(CloudState current, Instant now) {
        return HostDrains.plan(current, now, config.placement(), HostDrains.DEFAULT_SETTLE);
    }

    /** Failed nodes launched again after their back-off, nodes stuck STARTING failed, old ones forgotten. */
    private Outcome repairs(CloudState after, Instant now) {
        return NodeRepairs.plan(after, now, config.repairs(), config.placement());
    }

    private HostLiveness.Result lostHosts(Instant now) {
        return HostLiveness.plan(state, now, config.hostLiveness(), hearing);
    }

    /** Nodes whose drain timed out and that were not told to stop yet in this opening of the loop. */
    private List<Node> dueStops(Instant now) {
        List<Node> overdue = DrainTimeouts.overdue(state, now, config.drainTimeout());
        stopsSent.retainAll(overdue.stream().map(Node::name).toList());
        return overdue.stream().filter(n -> !stopsSent.contains(n.name())).toList();
    }

    @Override
    public void onTurn(Instant now, LoopSession session) {
        EventPublisher publisher = session.publisher();
        if (bootstrapDue) {
            TokenDecisions.bootstrap(tokens, config.adminToken(), clock.instant()).ifPresent(t -> {
                LOG.info("tokens: storing the admin token {} of CMS_RM_ADMIN_TOKEN_FILE", t.id());
                token(new TokenDecisions.Result(t, null, null), publisher);
            });
            tokenChanges.add(() -> bootstrapDue = false);
        }
        if (tickDue(now)) {
            lastTick = now;
            HostLiveness.Result lost = lostHosts(now);
            for (HostEvent.HostLost e : lost.lost()) {
                LOG.warn("{}; its nodes are failed and launched again on hosts with room", e.reason());
                publisher.publish(Topics.HOST_EVENTS, e);
            }
            publish(lost.outcome(), publisher);
            for (Node n : dueStops(now)) {
                LOG.info("node={} pod={} not drained within {}; stopping it", n.name(), n.pod(), config.drainTimeout());
                publisher.publish(Topics.COMMANDS, new NodeCommand.StopNode(Ids.next(), 1, now, n.hostId(), n.name(),
                        n.pod()));
                stopsInTransaction.add(n.name());
            }
            HostDrains.Result drains = drains(state, now);
            for (HostDrains.Move m : drains.started()) {
                LOG.info("node={} pod={} moving off its drained host: {} launched on {} to replace it", m.node(), m.pod(),
                        m.replacement(), m.to());
            }
            publish(drains.outcome(), publisher);
            publish(scaling.launchWaiting(state, now), publisher);
            publish(repairs(state, now), publisher);
        }
        jobs.writeState(publisher);
        jobs.turn(state, now, clock.instant(), publisher);
        writeSnapshots(publisher);
    }

    /**
     * The turn's pod snapshots, tombstones and cloud record, each pod once as it is now. A snapshot the publisher
     * refuses (over the record limit) is logged and skipped; the next change of its pod writes it again.
     */
    private void writeSnapshots(EventPublisher publisher) {
        PodSnapshotBatch.Writes writes = snapshots.take(state);
        Instant now = clock.instant();
        for (var pod : writes.snapshots()) {
            try {
                publisher.publish(Topics.PODS, new PodsRecord.PodSnapshot(Ids.next(), 1, now, pod));
            } catch (IllegalArgumentException e) {
                LOG.error("pod={} snapshot not written: {}", pod.name(), e.getMessage());
            }
        }
        writes.tombstones().forEach(name -> publisher.tombstone(Topics.PODS, name));
        if (writes.cloud()) {
            publisher.publish(Topics.PODS, new PodsRecord.CloudSnapshot(Ids.next(), 1, now, state.initialised(),
                    state.initialisedAt(), List.copyOf(state.cordons().values())));
        }
    }

    @Override
    public void afterCommit(LoopSession session) {
        tokenChanges.forEach(Runnable::run);
        tokenChanges.clear();
        stopsSent.addAll(stopsInTransaction);
        stopsInTransaction.clear();
        jobs.committed(state);
    }

    @Override
    public void onAbandon() {
        tokenChanges.clear();
        admittedInTransaction.clear();
        stopsInTransaction.clear();
        snapshots.clear();
        jobs.abandoned();
    }

    /** The outcome's state kept and its commands sent; its changed pods are snapshotted once, at the end of the turn. */
    private void publish(Outcome outcome, EventPublisher publisher) {
        state = outcome.state();
        snapshots.add(outcome);
        for (var command : outcome.commands()) {
            publisher.publish(Topics.COMMANDS, command);
        }
    }
}
