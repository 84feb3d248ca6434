package cms.balancer.embedded;

import cms.balancer.model.Slot;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One server slot of an embedded pool: where it points, what the balancer told it (ready, drain,
 * maintenance; weight), what its health checks say (rise 2, fall 3, as configured for HAProxy), and
 * its counters. Fields are read by request threads and changed by the balancer and the checker.
 */
final class EmbeddedSlot {

    static final int RISE = 2;
    static final int FALL = 3;

    final String name;
    volatile String address = "127.0.0.1";
    volatile int port = 1;
    volatile Slot.Admin admin = Slot.Admin.MAINT;
    volatile int weight = 1;
    volatile boolean up;
    private int streak;
    private boolean checking;
    final AtomicInteger sessions = new AtomicInteger();
    final AtomicLong responses = new AtomicLong();
    final AtomicLong errors = new AtomicLong();

    EmbeddedSlot(String name) {
        this.name = name;
    }

    /** Points the slot at a node, out of rotation until its checks pass and it gets a weight. */
    synchronized void assign(String newAddress, int newPort) {
        address = newAddress;
        port = newPort;
        weight = 0;
        up = false;
        streak = 0;
        admin = Slot.Admin.READY;
    }

    /** Claims the next health check; false while one is still running. */
    synchronized boolean startCheck() {
        if (checking) {
            return false;
        }
        checking = true;
        return true;
    }

    /** The result of a check of {@code address:port}; ignored when the slot was pointed elsewhere meanwhile. */
    synchronized void checked(String checkedAddress, int checkedPort, boolean healthy) {
        checking = false;
        if (checkedAddress.equals(address) && checkedPort == port && admin != Slot.Admin.MAINT) {
            checked(healthy);
        }
    }

    /** One health check result: {@code RISE} good ones in a row bring it up, {@code FALL} bad ones down. */
    synchronized void checked(boolean healthy) {
        if (healthy == up) {
            streak = 0;
            return;
        }
        streak++;
        if (streak >= (healthy ? RISE : FALL)) {
            up = healthy;
            streak = 0;
        }
    }

    /** Takes new requests: ready, healthy and with a weight. */
    boolean serving() {
        return admin == Slot.Admin.READY && up && weight > 0;
    }

    Slot view() {
        return new Slot(name, address, port, admin, up, weight, sessions.get(), 0);
    }

    String status() {
        return switch (admin) {
            case MAINT -> "MAINT";
            case DRAIN -> up ? "DRAIN" : "DOWN";
            case READY -> up ? "UP" : "DOWN";
        };
    }
}
