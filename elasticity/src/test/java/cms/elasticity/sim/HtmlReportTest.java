package cms.elasticity.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The report is well-formed, self-contained, and its lines are the simulated series. */
class HtmlReportTest {

    private final SimulationSettings settings = SimulationSettings.defaults();
    private final PodModel model = new PodModel(10, 3, 1);

    private Simulation.Result simulate() throws Exception {
        return Simulation.run(TraceReader.read(new StringReader("t_seconds,requests_per_second\n0,5\n30,42\n"
                + "90,130\n100,12\n240,12\n"), "t.csv"), model, settings);
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads a step line back: the value of each second is the last point at or before it. */
    private static int[] decode(String points, int seconds, int nodes) {
        HtmlReport.Scale scale = new HtmlReport.Scale(seconds, nodes);
        double perSecond = scale.x(1) - scale.x(0);
        double perNode = scale.y(0) - scale.y(1);
        int[] series = new int[seconds];
        List<int[]> steps = new ArrayList<>();
        for (String p : points.trim().split(" ")) {
            String[] xy = p.split(",");
            steps.add(new int[]{(int) Math.round((Double.parseDouble(xy[0]) - scale.x(0)) / perSecond),
                (int) Math.round((scale.y(0) - Double.parseDouble(xy[1])) / perNode)});
        }
        for (int k = 0; k < seconds; k++) {
            for (int[] step : steps) {
                if (step[0] <= k) {
                    series[k] = step[1];
                }
            }
        }
        return series;
    }

    @Test
    void theReportIsWellFormedAndItsLinesAreTheSeries() throws Exception {
        Simulation.Result result = simulate();
        String html = HtmlReport.render(result, model, settings, "rise & <fall>.csv");
        Document doc = parse(html);
        assertEquals("html", doc.getDocumentElement().getLocalName());
        assertEquals(1, doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").getLength());
        NodeList lines = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "polyline");
        Map<String, String> points = new HashMap<>();
        for (int i = 0; i < lines.getLength(); i++) {
            Element e = (Element) lines.item(i);
            points.put(e.getAttribute("data-series"), e.getAttribute("points"));
        }
        assertEquals(Set.of("demand", "cms-threshold", "original", "hpa"), points.keySet());
        int n = result.demand().length;
        assertEquals(13, Arrays.stream(result.demand()).max().orElseThrow(), "130 requests/s at 10 each");
        // the axis goes one above the highest line: cms-threshold's, at MAX 20 (13 node-loads at 0.5 each)
        assertEquals(20, Arrays.stream(result.runs().get(0).supplied()).max().orElseThrow());
        int top = 21;
        assertArrayEquals(result.demand(), decode(points.get("demand"), n, top));
        for (Simulation.Run run : result.runs()) {
            assertArrayEquals(run.supplied(), decode(points.get(run.scaler()), n, top), run.scaler());
        }
        String text = doc.getDocumentElement().getTextContent();
        assertTrue(text.contains("Elasticity simulation: rise & <fall>.csv"), "the name, escaped and read back");
        for (String legend : List.of("demand d(t)", "cms-threshold s(t)", "original s(t)", "hpa s(t)")) {
            assertTrue(text.contains(legend), legend);
        }
    }

    @Test
    void theMetricsTableIsInTheSameFile() throws Exception {
        Simulation.Result result = simulate();
        Document doc = parse(HtmlReport.render(result, model, settings, "t.csv"));
        NodeList rows = doc.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "tr");
        assertEquals(4, rows.getLength(), "header and three scalers");
        assertEquals(String.join("", MetricsTable.HEADER), rows.item(0).getTextContent());
        assertEquals(String.join("", MetricsTable.rows(result).get(2)), rows.item(3).getTextContent());
        assertTrue(rows.item(3).getTextContent().startsWith("hpa"));
    }

    @Test
    void nothingIsFetchedFromElsewhere() throws Exception {
        String html = HtmlReport.render(simulate(), model, settings, "t.csv");
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.replace("xmlns=\"http://www.w3.org/1999/xhtml\"", "")
                .replace("xmlns=\"http://www.w3.org/2000/svg\"", "").contains("http"), "no external address");
        assertFalse(html.contains("src="), "no external file");
    }
}
