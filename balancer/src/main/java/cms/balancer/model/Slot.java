package cms.balancer.model;

/**
 * One server slot of a pod's backend as the balancer backend reports it. {@code admin} is what the
 * balancer was told (READY in rotation, DRAIN no new requests, MAINT free); {@code up} whether health
 * checks pass; {@code weight} 0 keeps a ready slot out of rotation until its checks pass.
 */
public record Slot(String name, String address, int port, Admin admin, boolean up, int weight, int sessions,
                   int queued) {

    public enum Admin { READY, DRAIN, MAINT }

    public String endpoint() {
        return address + ":" + port;
    }

    public boolean free() {
        return admin == Admin.MAINT;
    }
}
