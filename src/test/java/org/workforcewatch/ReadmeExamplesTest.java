package org.workforcewatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.workforcewatch.demo.DemoData;
import org.workforcewatch.security.SecuritySettings;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's examples, run as written: each shell block marked {@code <!-- example: name -->} is run with bash
 * and curl against this service, with only its address (the README's {@code localhost:8080}) and the demo's and the
 * trial user's passwords replaced by the test users', and its outcome is checked against what the README says.
 * Every file a shell block of the README names must be in the repository.
 */
class ReadmeExamplesTest extends ApiTest {

    private static final Path README = Path.of("README.md");

    /** The examples run here; a tag removed from the README, or one added without a check here, fails. */
    private static final Set<String> RUN = Set.of("try", "own-user", "load-folder", "one-file", "events",
            "published-benchmarks", "ssd", "census", "prometheus");

    private static final Pattern TAGGED = Pattern.compile("<!-- example: ([a-z-]+) -->\\n( *)```sh\\n(.*?)\\n\\2```", Pattern.DOTALL);
    private static final Pattern SHELL = Pattern.compile("^( *)```sh\\n(.*?)\\n\\1```", Pattern.DOTALL | Pattern.MULTILINE);
    private static final Pattern ANSWER = Pattern.compile("<!-- answer: ([a-z-]+) -->\\n( *)```json\\n(.*?)\\n\\2```", Pattern.DOTALL);

    /** The trial user of the README's own-user example, as the other examples sign in. */
    private static final String TRIAL_USER = "hr.lead";
    private static final String TRIAL_PASSWORD = "change-me";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private static String readme() throws IOException {
        return Files.readString(README, StandardCharsets.UTF_8);
    }

    /** The tagged shell blocks, by name, their lines without the block's indentation. */
    static Map<String, String> examples() throws IOException {
        Map<String, String> found = new LinkedHashMap<>();
        Matcher m = TAGGED.matcher(readme());
        while (m.find()) {
            assertThat(found.put(m.group(1), dedent(m.group(3), m.group(2).length()))).as("example %s is tagged once", m.group(1)).isNull();
        }
        return found;
    }

    private static String dedent(String block, int indent) {
        return block.lines().map(l -> l.length() >= indent && l.substring(0, indent).isBlank() ? l.substring(indent) : l)
                .reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String example(String name) throws IOException {
        return examples().get(name);
    }

    @Test
    void everyExampleMarkedInTheReadmeIsRunHere() throws IOException {
        assertThat(examples().keySet()).containsExactlyInAnyOrderElementsOf(RUN);
    }

    @Test
    void everyFileTheReadmesShellExamplesNameIsInTheRepository() throws IOException {
        Set<String> named = new TreeSet<>();
        Matcher block = SHELL.matcher(readme());
        Pattern upload = Pattern.compile("(?:--data-binary |-d |=)@([^\\s'\"]+)");
        Pattern path = Pattern.compile("(?:^|\\s)((?:bin|examples|src)/[^\\s'\"]+)");
        while (block.find()) {
            for (Pattern p : List.of(upload, path)) {
                Matcher m = p.matcher(block.group(2));
                while (m.find()) {
                    if (!m.group(1).equals("-")) {
                        named.add(m.group(1));
                    }
                }
            }
        }
        assertThat(named).contains("bin/load-folder", "examples/extract-2024-11", "examples/staff.csv", "examples/new-starters.csv",
                "examples/ssd/ssd_professionals.csv", "examples/ssd-extract.zip", "examples/csww_2022.xml",
                "src/main/resources/reference/dfe-csww/csww_indicators_2017_to_2025.csv");
        assertThat(named).allSatisfy(p -> assertThat(Path.of(p)).as("named in a README example").exists());
    }

    @Test
    void theExampleZipHoldsTheExampleSsdTablesAsTheyAre() throws IOException {
        Map<String, String> zipped = new TreeMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(Path.of("examples/ssd-extract.zip")))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                zipped.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        Map<String, String> tables = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of("examples/ssd"))) {
            for (Path f : files.toList()) {
                tables.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        assertThat(zipped).hasSize(5).isEqualTo(tables);
    }

    @Test
    void theExamplesSignInAsTheUserTheReadmeTellsHowToConfigure() throws IOException {
        String start = example("own-user");
        assertThat(start).contains("mvn spring-boot:run");
        Map<String, Object> variables = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(WORKFORCE_[A-Z0-9_]+)=('[^']*'|\\S+)").matcher(start);
        while (m.find()) {
            variables.put(m.group(1), m.group(2).replaceAll("^'|'$", ""));
        }
        // read as the service reads its environment
        Binder binder = new Binder(ConfigurationPropertySources.from(
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables)));
        SecuritySettings settings = binder.bind("workforce.security", SecuritySettings.class).get();
        assertThat(settings.users()).singleElement().satisfies(u -> {
            assertThat(u.username()).isEqualTo(TRIAL_USER);
            assertThat(u.password()).isEqualTo("{noop}" + TRIAL_PASSWORD);
            assertThat(u.roles()).containsExactly("hr");
        });
        // every other example signs in as that user, or as the demo's admin
        for (Map.Entry<String, String> e : examples().entrySet()) {
            Matcher basic = Pattern.compile("-u (\\S+)").matcher(e.getValue());
            while (basic.find()) {
                assertThat(basic.group(1)).as(e.getKey()).isIn(TRIAL_USER + ":" + TRIAL_PASSWORD, "admin:demo");
            }
        }
        assertThat(example("load-folder")).contains("WORKFORCE_USER=" + TRIAL_USER + " WORKFORCE_PASSWORD=" + TRIAL_PASSWORD);
    }

    @TestFactory
    Stream<DynamicTest> onTheDemoAuthority() {
        return Stream.of(
                dynamicTest("the demo authority is loaded", () -> DemoData.load(context)),
                dynamicTest("try: the import log, the import contract, data quality and health answer", () -> {
                    Run run = run("try", Map.of());
                    assertThat(run.exit()).as(run.toString()).isZero();
                    assertThat(run.err()).as("nothing but the answer is printed").isEmpty();
                    assertThat(run.out()).contains("\"file_name\":\"demo/").contains("\"dataset\":\"staff\"")
                            .contains("\"missing_from_latest_extract\":").contains("\"status\":\"UP\"}");
                }),
                dynamicTest("prometheus: with the scrape token, a team's caseload per FTE as the README shows it", () -> {
                    String shown = example("prometheus").lines().filter(l -> l.startsWith("# workforce_")).findFirst().orElseThrow();
                    String series = shown.substring(2, shown.indexOf('}') + 1);
                    Run run = run("prometheus", Map.of("WORKFORCE_SCRAPE_TOKEN", "test-scrape-token"));
                    assertThat(run.exit()).as(run.toString()).isZero();
                    assertThat(run.err()).as("nothing but the answer is printed").isEmpty();
                    assertThat(run.out().lines()).as(run.toString()).anyMatch(l -> l.matches(Pattern.quote(series) + " [0-9.]+"));
                }),
                dynamicTest("prometheus: without the token, the 401 shows", () -> {
                    Run run = run("prometheus", Map.of());
                    assertThat(run.exit()).isNotZero();
                    assertThat(run.out()).isEmpty();
                    assertThat(run.err()).contains("The requested URL returned error: 401");
                    assertThat(readme()).contains("`curl: (22) The requested URL returned error: 401`");
                }),
                dynamicTest("events: every line is applied, and the answer is the README's", () -> {
                    Run run = run("events", Map.of());
                    assertThat(run.exit()).as(run.toString()).isZero();
                    assertThat(run.err()).as("nothing but the answer is printed").isEmpty();
                    assertThat(JSON.readTree(run.out())).isEqualTo(JSON.readTree(answer("events")));
                    assertThat(one("SELECT count(*) FROM staff_spells WHERE staff_id = 'HR2001' AND end_date IS NULL")).isEqualTo("1");
                    assertThat(one("SELECT staff_id FROM allocations WHERE allocation_id = 'A9913'")).isEqualTo("HR2001");
                }));
    }

    @TestFactory
    Stream<DynamicTest> withFilesOfYourOwn() {
        return Stream.of(
                dynamicTest("load-folder: the example extract is loaded in one step", () -> {
                    Run run = run("load-folder", Map.of());
                    assertThat(run.exit()).as(run.toString()).isZero();
                    assertThat(run.err()).as("nothing but the answer is printed").isEmpty();
                    assertThat(readme()).contains("ends with `loaded 6 file(s) from examples/extract-2024-11`");
                    assertThat(run.out()).contains("loaded 6 file(s) from examples/extract-2024-11");
                    assertThat(succeeded(run.out())).isEqualTo(6);
                    assertThat(count("staff_spells")).isEqualTo(10);
                }),
                dynamicTest("one-file: a full staff file, the same as a form, then a partial one", () -> {
                    Run run = run("one-file", Map.of());
                    assertThat(run.exit()).as(run.toString()).isZero();
                    assertThat(run.err()).as("nothing but the answer is printed").isEmpty();
                    assertThat(succeeded(run.out())).as(run.out()).isEqualTo(3);
                    assertThat(run.out()).contains("\"extract\":\"partial\"").contains("\"inserted\":1");
                    assertThat(count("staff_spells")).isEqualTo(11);
                }),
                dynamicTest("events: every line is applied after the example extract too", () -> {
                    Run run = run("events", Map.of());
                    assertThat(JSON.readTree(run.out())).as(run.toString()).isEqualTo(JSON.readTree(answer("events")));
                }),
                dynamicTest("published-benchmarks: the Department's file as downloaded", () -> {
                    Run run = run("published-benchmarks", Map.of());
                    assertThat(run.exit()).as(run.toString()).isZero();
                    assertThat(run.err()).as("nothing but the answer is printed").isEmpty();
                    assertThat(succeeded(run.out())).as(run.out()).isEqualTo(1);
                    assertThat(run.out()).containsPattern("[0-9]+ lines of the file gave [0-9]+ benchmarks rows");
                }),
                dynamicTest("ssd: one table, a zip and a form", () -> {
                    Run run = run("ssd", Map.of());
                    assertThat(run.exit()).as(run.toString()).isZero();
                    assertThat(run.err()).as("nothing but the answer is printed").isEmpty();
                    assertThat(run.out()).as(run.out()).doesNotContain("\"status\":4").doesNotContain("\"status\":5")
                            .contains("\"dataset\":\"ssd_professionals\"");
                    // the table alone, then each of the five tables of the zip, twice
                    assertThat(succeeded(run.out())).as(run.out()).isEqualTo(11);
                }),
                dynamicTest("census: the return loaded twice, listed, and its measures", () -> {
                    Run run = run("census", Map.of());
                    assertThat(run.exit()).as(run.toString()).isZero();
                    assertThat(run.err()).as("nothing but the answer is printed").isEmpty();
                    assertThat(run.out()).as(run.out()).doesNotContain("\"status\":4").doesNotContain("\"status\":5")
                            .contains("\"dataset\":\"census\"").contains("employed_fte");
                    assertThat(succeeded(run.out())).as(run.out()).isEqualTo(2);
                }));
    }

    private static int succeeded(String out) {
        return out.split(Pattern.quote("\"status\":\"succeeded\""), -1).length - 1;
    }

    private static String answer(String name) throws IOException {
        Matcher m = ANSWER.matcher(readme());
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return m.group(3);
            }
        }
        throw new AssertionError("the README shows no answer for " + name);
    }

    record Run(int exit, String out, String err) {
    }

    /** Runs an example with bash from the repository's folder, against this service, signed in as the test users. */
    private Run run(String name, Map<String, String> environment) throws Exception {
        String script = example(name)
                .replace("localhost:8080", "localhost:" + port)
                .replace(TRIAL_USER + ":" + TRIAL_PASSWORD, "hr:" + PASSWORD)
                .replace("WORKFORCE_USER=" + TRIAL_USER + " WORKFORCE_PASSWORD=" + TRIAL_PASSWORD, "WORKFORCE_USER=hr WORKFORCE_PASSWORD=" + PASSWORD)
                .replace("admin:demo", "admin:" + PASSWORD);
        assertThat(script).doesNotContain("8080").doesNotContain(TRIAL_PASSWORD).doesNotContain(":demo");
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", script);
        builder.environment().keySet().removeIf(v -> v.startsWith("WORKFORCE_"));
        // bin/load-folder's own default address is the README's localhost:8080
        builder.environment().put("WORKFORCE_URL", "http://localhost:" + port);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> out = read(process.getInputStream());
        CompletableFuture<String> err = read(process.getErrorStream());
        try {
            assertThat(process.waitFor(3, TimeUnit.MINUTES)).as("example %s ends", name).isTrue();
            return new Run(process.exitValue(), out.get(), err.get());
        } finally {
            // an example that hangs is ended with its children, not left running after the test
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
