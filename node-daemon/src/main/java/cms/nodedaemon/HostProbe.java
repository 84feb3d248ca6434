package cms.nodedaemon;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/** Reads this machine's capacity and current use from the JVM's view of the operating system. */
public class HostProbe {

    private final OperatingSystemMXBean os =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    public double cpus() {
        return os.getAvailableProcessors();
    }

    public long memoryMb() {
        return os.getTotalMemorySize() / (1024 * 1024);
    }

    /** CPU cores in use across the machine, or 0 while the first reading is not available yet. */
    public double cpuUsed() {
        double load = os.getCpuLoad();
        return load < 0 ? 0 : load * os.getAvailableProcessors();
    }

    public long memoryUsedMb() {
        return (os.getTotalMemorySize() - os.getFreeMemorySize()) / (1024 * 1024);
    }
}
