package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cms kafka}: an address that other machines cannot be given back, or bad ports, fail in one line, before any broker. */
class KafkaCommandTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--address 0.0.0.0|cms: --address: 0.0.0.0 is the wildcard address; give the address other machines reach "
                + "this one at, e.g. 10.0.0.2",
        "--address 10.0.0.1:9092|cms: --address: '10.0.0.1:9092' is not an address: give it without a port (the "
                + "port is a setting of its own)",
        "--address 10.0.0.1 --port 9092 --controller-port 9092|cms: --port 9092 and --controller-port 9092 must be "
                + "two different ports within [1, 65535]",
        "--address 10.0.0.1 --port 70000|cms: --port 70000 and --controller-port 70001 must be two different ports "
                + "within [1, 65535]"})
    void refusesInOneLine(String args, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] argv = ("kafka " + args).split(" ");
        int code = CmsMain.run(argv, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8), Map.of());
        assertEquals(1, code);
        assertEquals(message, err.toString(StandardCharsets.UTF_8).strip());
    }
}
