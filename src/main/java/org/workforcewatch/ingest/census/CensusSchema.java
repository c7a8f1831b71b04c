package org.workforcewatch.ingest.census;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The CSWW 2022 schema (src/main/resources/reference/csww-census), read once: compiled for checking
 * values, and read as data for checking each element's children. The census schema is a plain
 * sequence of elements at every level, so the children's order and counts are checked here, element
 * by element; a validating parser reports only the first such problem in an element.
 */
final class CensusSchema {

    static final String RESOURCE = "reference/csww-census/social_work_workforce_2022.xsd";
    static final String ROOT = "Message";
    private static final String XS = XMLConstants.W3C_XML_SCHEMA_NS_URI;

    /** One child element of a sequence; {@code type} names a complex type, or is null for a value. */
    record Particle(String name, int min, int max, String type, String valueRule) {
    }

    private static volatile CensusSchema instance;

    private final Schema schema;
    private final String rootType;
    private final Map<String, List<Particle>> sequences;

    private CensusSchema(Schema schema, String rootType, Map<String, List<Particle>> sequences) {
        this.schema = schema;
        this.rootType = rootType;
        this.sequences = sequences;
    }

    static CensusSchema get() {
        CensusSchema s = instance;
        if (s == null) {
            synchronized (CensusSchema.class) {
                if (instance == null) {
                    instance = load();
                }
                s = instance;
            }
        }
        return s;
    }

    Schema compiled() {
        return schema;
    }

    String rootType() {
        return rootType;
    }

    /** The children of an element of this complex type, in order; null for a value element. */
    List<Particle> sequence(String type) {
        return type == null ? null : sequences.get(type);
    }

    private static CensusSchema load() {
        try {
            SchemaFactory factory = SchemaFactory.newInstance(XS);
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            Schema compiled;
            try (InputStream in = resource()) {
                compiled = factory.newSchema(new StreamSource(in));
            }
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setNamespaceAware(true);
            dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document xsd;
            try (InputStream in = resource()) {
                xsd = dbf.newDocumentBuilder().parse(in);
            }
            Map<String, Element> complexTypes = new HashMap<>();
            Map<String, Element> simpleTypes = new HashMap<>();
            String rootType = null;
            for (Element e : children(xsd.getDocumentElement())) {
                switch (e.getLocalName()) {
                    case "complexType" -> complexTypes.put(e.getAttribute("name"), e);
                    case "simpleType" -> simpleTypes.put(e.getAttribute("name"), e);
                    case "element" -> {
                        if (ROOT.equals(e.getAttribute("name"))) {
                            rootType = e.getAttribute("type");
                        }
                    }
                    default -> { }
                }
            }
            Map<String, List<Particle>> sequences = new HashMap<>();
            for (Map.Entry<String, Element> type : complexTypes.entrySet()) {
                List<Particle> particles = new ArrayList<>();
                for (Element group : children(type.getValue())) {
                    if (!"sequence".equals(group.getLocalName())) {
                        continue;
                    }
                    for (Element el : children(group)) {
                        String typeName = el.getAttribute("type");
                        boolean complex = complexTypes.containsKey(typeName);
                        String max = el.getAttribute("maxOccurs");
                        particles.add(new Particle(el.getAttribute("name"),
                                el.hasAttribute("minOccurs") ? Integer.parseInt(el.getAttribute("minOccurs")) : 1,
                                max.isEmpty() ? 1 : "unbounded".equals(max) ? Integer.MAX_VALUE : Integer.parseInt(max),
                                complex ? typeName : null,
                                complex ? null : valueRule(el, typeName, simpleTypes)));
                    }
                }
                sequences.put(type.getKey(), List.copyOf(particles));
            }
            if (rootType == null) {
                throw new IllegalStateException(RESOURCE + " declares no " + ROOT + " element");
            }
            return new CensusSchema(compiled, rootType, Map.copyOf(sequences));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the census schema " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    private static InputStream resource() {
        InputStream in = CensusSchema.class.getClassLoader().getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the census schema is missing from the class path: " + RESOURCE);
        }
        return in;
    }

    /** What a valid value of this element looks like, in words, from the schema's own facets. */
    private static String valueRule(Element element, String typeName, Map<String, Element> simpleTypes) {
        Element simple = null;
        if (typeName.isEmpty()) {
            simple = children(element).stream().filter(c -> "simpleType".equals(c.getLocalName())).findFirst().orElse(null);
        } else if (simpleTypes.containsKey(typeName)) {
            simple = simpleTypes.get(typeName);
        }
        if (simple == null) {
            return builtIn(typeName);
        }
        Element restriction = children(simple).stream().filter(c -> "restriction".equals(c.getLocalName())).findFirst()
                .orElse(null);
        if (restriction == null) {
            return "not a valid value";
        }
        List<String> allowed = new ArrayList<>();
        String pattern = null;
        String fractionDigits = null;
        String min = null;
        String max = null;
        for (Element facet : children(restriction)) {
            String v = facet.getAttribute("value");
            switch (facet.getLocalName()) {
                case "enumeration" -> allowed.add(v);
                case "pattern" -> pattern = v;
                case "fractionDigits" -> fractionDigits = v;
                case "minInclusive" -> min = v;
                case "maxInclusive" -> max = v;
                default -> { }
            }
        }
        if (!allowed.isEmpty()) {
            return "not one of the allowed values: " + String.join(", ", allowed);
        }
        if (pattern != null) {
            return "not in the required form: " + switch (pattern) {
                case "[A-Za-z]{2}\\d{10}" -> "two letters and ten digits (a Social Work England number, e.g. SW1234567890)";
                case "\\d{3}" -> "three digits (the authority's code)";
                default -> "the pattern " + pattern;
            };
        }
        String base = restriction.getAttribute("base");
        if (base.endsWith(":decimal")) {
            return "not a number" + (min != null && max != null ? " from " + min + " to " + max : "")
                    + (fractionDigits != null ? " with at most " + fractionDigits + " decimal place"
                    + ("1".equals(fractionDigits) ? "" : "s") : "");
        }
        return builtIn(base);
    }

    private static String builtIn(String type) {
        String local = type.substring(type.indexOf(':') + 1);
        return switch (local) {
            case "date" -> "not a date (YYYY-MM-DD)";
            case "dateTime" -> "not a date and time (YYYY-MM-DDThh:mm:ss)";
            case "gYear" -> "not a year (YYYY)";
            case "integer" -> "not a whole number";
            case "decimal" -> "not a number";
            default -> "not a valid value";
        };
    }

    private static List<Element> children(Node parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && XS.equals(e.getNamespaceURI())) {
                out.add(e);
            }
        }
        return out;
    }
}
