package cms.nodedaemon.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.api.model.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event stream tells its end once, and never when we closed it ourselves. */
class ContainerEventsTest {

    private final List<String> ends = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final ContainerEvents stream = new ContainerEvents(events::add, ends::add);

    @Test
    void anEndByItselfIsToldOnceWithTheReason() {
        stream.onNext(new Event("die", "c1", "cms/workload:dev", 1L));
        stream.onError(new RuntimeException("Premature end of chunk coded message body\nmore"));
        stream.onComplete();

        assertEquals(1, events.size());
        assertEquals(List.of("its event stream failed: Premature end of chunk coded message body"), ends);
    }

    @Test
    void aStreamWeClosedIsNotAnEnd() {
        stream.close();
        stream.onError(new RuntimeException("socket closed"));
        stream.onComplete();

        assertEquals(List.of(), ends);
    }
}
