package cms.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The host list of {@code cloud host ls}: the resource manager's hosts ({@code /api/hosts}: state, scheduling,
 * nodes) with what each host's last heartbeat said is in use ({@code /api/live}), when the live view has it.
 */
final class HostUsage {

    private HostUsage() {
    }

    static ApiClient.Response hostsWithUsage(ApiClient api) throws ApiClient.UnreachableException {
        ApiClient.Response hosts = api.getAll("/api/hosts");
        if (!hosts.ok() || !hosts.data().isArray()) {
            return hosts;
        }
        ApiClient.Response live = api.get("/api/live");
        if (live.ok()) {
            merge(hosts.data(), (live.body().has("data") ? live.data() : live.body()).path("hosts"));
        }
        return hosts;
    }

    /** Adds {@code cpu_used} and {@code memory_used_mb} from the live view's host of the same id. */
    static void merge(JsonNode hosts, JsonNode liveHosts) {
        Map<String, JsonNode> byId = new HashMap<>();
        liveHosts.forEach(h -> byId.put(h.path("host_id").asText(), h));
        for (JsonNode h : hosts) {
            JsonNode usage = byId.get(h.path("host_id").asText());
            if (usage != null && h instanceof ObjectNode o) {
                o.set("cpu_used", usage.path("cpu_used"));
                o.set("memory_used_mb", usage.path("memory_used_mb"));
            }
        }
    }
}
