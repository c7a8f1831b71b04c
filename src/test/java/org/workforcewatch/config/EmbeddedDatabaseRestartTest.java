package org.workforcewatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database starts at the first attempt after whatever the last run left: its kept passwords, a server
 * still running on the folder because the service was killed ({@code kill -9}), or a stale {@code postmaster.pid}
 * naming a process that is not that folder's server (which is left alone).
 */
class EmbeddedDatabaseRestartTest {

    @TempDir
    Path folder;

    @Test
    void aRestartKeepsThePasswordsOfTheFirstStart() throws Exception {
        Path dataDir = folder.resolve("pg");
        EmbeddedDatabase first = EmbeddedDatabase.start(dataDir, 0, true);
        DatabaseLocation before = first.location();
        String kept = Files.readString(first.credentialsFile());
        first.stop();

        EmbeddedDatabase second = EmbeddedDatabase.start(dataDir, 0, true);
        try {
            assertThat(Files.readString(second.credentialsFile())).isEqualTo(kept);
            assertThat(second.location().password()).isEqualTo(before.password());
            try (Connection c = connect(second.location())) {
                assertThat(query(c, "SELECT current_user")).isEqualTo("workforce_app");
            }
        } finally {
            second.stop();
        }
    }

    @Test
    void deletingTheKeptPasswordsGivesNewOnesAtTheNextStartAndTheOldOnesNoLongerSignIn() throws Exception {
        Path dataDir = folder.resolve("pg");
        EmbeddedDatabase first = EmbeddedDatabase.start(dataDir, 0, true);
        DatabaseLocation before = first.location();
        first.stop();
        Files.delete(first.credentialsFile());

        EmbeddedDatabase second = EmbeddedDatabase.start(dataDir, 0, true);
        try {
            assertThat(second.location().password()).isNotEqualTo(before.password());
            try (Connection c = connect(second.location())) {
                assertThat(query(c, "SELECT current_user")).isEqualTo("workforce_app");
            }
            assertThatThrownBy(() -> connect(second.location().as("workforce_app", before.password())).close())
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
        } finally {
            second.stop();
        }
    }

    @Test
    void aServerLeftRunningByAKilledServiceIsStoppedAndTheNextStartSucceedsAtOnce() throws Exception {
        Path dataDir = folder.resolve("pg").toAbsolutePath();
        Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), Service.class.getName(), dataDir.toString())
                .redirectErrorStream(true).start();
        long leftover;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            do {
                line = out.readLine();
            } while (line != null && !line.startsWith(Service.STARTED));
            assertThat(line).as("the service in its own process started its database").isNotNull();
            leftover = postmasterPid(dataDir);
            service.destroyForcibly(); // kill -9: no shutdown hook runs
            assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            service.destroyForcibly();
        }
        assertThat(ProcessHandle.of(leftover).map(ProcessHandle::isAlive)).as("its server outlives it").contains(true);

        EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0, true);
        try {
            assertThat(postmasterPid(dataDir)).as("a server of this start's own").isNotEqualTo(leftover);
            assertThat(ProcessHandle.of(leftover).filter(ProcessHandle::isAlive).flatMap(p -> p.info().command()))
                    .as("the one left running is stopped").satisfiesAnyOf(
                            command -> assertThat(command).isEmpty(),
                            command -> assertThat(command.get()).doesNotEndWith("/postgres"));
            try (Connection c = connect(db.location())) {
                assertThat(query(c, "SELECT 1")).isEqualTo("1");
            }
        } finally {
            db.stop();
        }
    }

    @Test
    void aPidFileNamingAnyOtherLiveProcessIsSetAsideAndThatProcessLeftAlone() throws Exception {
        Path dataDir = folder.resolve("pg").toAbsolutePath();
        EmbeddedDatabase.start(dataDir, 0, false).stop();
        EmbeddedDatabase other = EmbeddedDatabase.start(folder.resolve("other"), 0, false);
        Process notPostgres = new ProcessBuilder("cat").start(); // runs until its input closes
        try {
            for (long pid : List.of(postmasterPid(folder.resolve("other")), notPostgres.pid())) {
                // as after a reboot, when the number of the server that wrote the file is now another process's
                Files.writeString(dataDir.resolve("postmaster.pid"), pid + "\n" + dataDir + "\n");
                EmbeddedDatabase db = EmbeddedDatabase.start(dataDir, 0, false);
                try (Connection c = connect(db.location())) {
                    assertThat(query(c, "SELECT 1")).isEqualTo("1");
                } finally {
                    db.stop();
                }
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as("process " + pid + " left alone").contains(true);
            }
            try (Connection c = connect(other.location())) {
                assertThat(query(c, "SELECT 1")).as("the other folder's server still serves").isEqualTo("1");
            }
        } finally {
            notPostgres.destroy();
            other.stop();
        }
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).strip());
    }

    static Connection connect(DatabaseLocation at) throws SQLException {
        return DriverManager.getConnection(at.jdbcUrl(), at.username(), at.password());
    }

    static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    /** The service's start of its database, in a process of its own that the test can kill. */
    static final class Service {

        static final String STARTED = "database started";

        public static void main(String[] args) throws IOException {
            EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]), 0, true);
            System.out.println(STARTED + " on port " + db.location().port());
            System.out.flush();
            System.in.read(); // until killed
        }
    }
}
