package org.workforcewatch.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.workforcewatch.ApiTest;
import org.workforcewatch.ingest.Fixtures;

/** bin/load-folder, run as an analyst would, against the running service. */
class LoadFolderScriptTest extends ApiTest {

    @LocalServerPort
    int port;

    @TempDir
    Path folder;

    private record Run(int exit, String output) {
    }

    private Run loadFolder() throws IOException, InterruptedException {
        return loadFolder("hr", PASSWORD);
    }

    private Run loadFolder(String user, String password) throws IOException, InterruptedException {
        return run(Map.of("WORKFORCE_USER", user, "WORKFORCE_PASSWORD", password), folder.toString(), "--url",
                "http://localhost:" + port);
    }

    private Run run(Map<String, String> environment, String... arguments) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("bash", "bin/load-folder"));
        command.addAll(java.util.List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("WORKFORCE_"));
        builder.environment().putAll(environment);
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    @Test
    void aRefusedSignInLoadsNothingAndSaysWhy() throws Exception {
        Files.writeString(folder.resolve("teams.csv"), "team_id,team_name,service,team_type\nT1,North,Front Door,assessment\n");
        Run run = loadFolder("hr", "wrong");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("refused the sign-in").doesNotContain("wrong");
        assertThat(count("teams")).isZero();
    }

    @Test
    void itsUsageSaysWhichCredentialsItNeeds() throws Exception {
        Run run = run(Map.of(), "--help");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.output()).contains("usage:").contains("WORKFORCE_USER and WORKFORCE_PASSWORD").contains("WORKFORCE_TOKEN")
                .contains("hr or admin role");
    }

    @Test
    void withoutCredentialsItSaysWhichItNeedsAndLoadsNothing() throws Exception {
        Files.writeString(folder.resolve("teams.csv"), Fixtures.VALID.get("teams"));
        Run run = run(Map.of(), folder.toString(), "--url", "http://localhost:" + port);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("HTTP 401").contains("no credentials were given")
                .contains("set WORKFORCE_USER and WORKFORCE_PASSWORD (a user with the hr or admin role) or WORKFORCE_TOKEN");
        assertThat(count("teams")).isZero();
    }

    @Test
    void aUserWhoMayNotImportIsToldWhichRoleItNeeds() throws Exception {
        Files.writeString(folder.resolve("teams.csv"), Fixtures.VALID.get("teams"));
        Run run = loadFolder("viewer", PASSWORD);
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("teams was refused (HTTP 403)").contains("imports need the hr or admin role");
        assertThat(count("teams")).isZero();
    }

    @Test
    void loadsEveryFileOfAFolderInDependencyOrderAndPrintsEachReceipt() throws Exception {
        // written in reverse so that only the script's ordering can make the references resolve
        java.util.List<Map.Entry<String, String>> files = new java.util.ArrayList<>(Fixtures.VALID.entrySet());
        java.util.Collections.reverse(files);
        for (Map.Entry<String, String> e : files) {
            Files.writeString(folder.resolve(e.getKey().equals("teams") ? "TEAMS.csv" : e.getKey() + ".csv"), e.getValue());
        }
        Files.writeString(folder.resolve("notes.csv"), "a,b\n");
        Run run = loadFolder();
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("loaded " + Fixtures.VALID.size() + " file(s)").contains("\"dataset\":\"shifts\"")
                .contains("skipped").contains("notes.csv");
        assertThat(run.output().indexOf("== teams")).isLessThan(run.output().indexOf("== staff"));
        assertThat(count("shifts")).isEqualTo(1);
        assertThat(count("imports")).isEqualTo(Fixtures.VALID.size());
    }

    @Test
    void stopsAtTheFirstRefusedFileAndShowsItsProblems() throws Exception {
        Files.writeString(folder.resolve("teams.csv"), Fixtures.VALID.get("teams"));
        Files.writeString(folder.resolve("staff.csv"), Fixtures.VALID.get("staff").replace("permanent", "permenant"));
        Files.writeString(folder.resolve("allocations.csv"), Fixtures.VALID.get("allocations"));
        Run run = loadFolder();
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.output()).contains("staff was refused").contains("\"column\":\"employment\"").doesNotContain("== allocations");
        assertThat(count("teams")).isEqualTo(2);
        assertThat(count("staff_spells")).isZero();
    }
}
