package org.workforcewatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL opens to nobody on the machine who lacks its passwords: every role asks for one (SCRAM),
 * the passwords are made at random and kept in a file only the service's user may read, and the server listens on
 * 127.0.0.1 only, with no Unix socket.
 */
class EmbeddedDatabaseSignInTest {

    private static final List<String> ROLES = List.of("postgres", "workforce_owner", "workforce_app");

    @TempDir
    static Path folder;

    private static EmbeddedDatabase db;
    private static Path dataDir;

    @BeforeAll
    static void start() {
        dataDir = folder.resolve("pg");
        db = EmbeddedDatabase.start(dataDir, 0, false);
    }

    @AfterAll
    static void stop() {
        db.stop();
    }

    @Test
    void noRoleSignsInWithoutItsPasswordAndEachDoesWithIt() throws Exception {
        Properties kept = kept();
        for (String role : ROLES) {
            assertThatThrownBy(() -> connect(role, null).close()).as(role + " without a password")
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> connect(role, "postgres").close()).as(role + " with a guessed password")
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"));
            try (Connection c = connect(role, kept.getProperty(role))) {
                assertThat(query(c, "SELECT current_user")).isEqualTo(role);
            }
        }
        assertThat(db.location().username()).isEqualTo("workforce_app");
        assertThat(db.location().password()).isEqualTo(kept.getProperty("workforce_app"));
        assertThat(db.migrationLocation().username()).isEqualTo("workforce_owner");
    }

    @Test
    void psqlWithoutThePasswordIsRefused() throws Exception {
        assumeTrue(onPath("psql"), "psql is installed");
        for (String role : ROLES) {
            Answer tcp = psql("-h", "127.0.0.1", "-p", String.valueOf(db.location().port()), "-U", role, "-d", "postgres");
            assertThat(tcp.exitCode()).as(role + " over TCP: " + tcp.output()).isNotZero();
            assertThat(tcp.output()).as(role).contains("no password supplied").doesNotContain("(1 row)");
            // as psql tries first: the Unix socket (there is none)
            Answer socket = psql("-h", "/tmp", "-p", String.valueOf(db.location().port()), "-U", role, "-d", "postgres");
            assertThat(socket.exitCode()).as(role + " by the socket: " + socket.output()).isNotZero();
            assertThat(socket.output()).doesNotContain("(1 row)");
        }
    }

    @Test
    void thePasswordsAreRandomAndKeptInAFileOnlyTheServicesUserMayRead() throws Exception {
        Path file = db.credentialsFile();
        assertThat(file.getParent()).isEqualTo(dataDir.toAbsolutePath().normalize());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        Properties kept = kept();
        assertThat(ROLES).allSatisfy(role -> assertThat(kept.getProperty(role)).hasSizeGreaterThanOrEqualTo(40));
        assertThat(ROLES.stream().map(kept::getProperty).distinct()).hasSize(3);
    }

    @Test
    void theServerListensOn127001OnlyAndTrustsNobody() throws Exception {
        try (Connection c = connect("postgres", kept().getProperty("postgres"))) {
            assertThat(query(c, "SHOW listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(query(c, "SHOW unix_socket_directories")).isEmpty();
            assertThat(query(c, "SELECT string_agg(DISTINCT type || ' ' || auth_method, ', ') FROM pg_hba_file_rules"))
                    .isEqualTo("host scram-sha-256");
        }
        assertThat(Path.of("/tmp/.s.PGSQL." + db.location().port())).doesNotExist();
        for (InetAddress address : otherAddresses()) {
            assertThatThrownBy(() -> {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(address, db.location().port()), 2000);
                }
            }).as("a connection to " + address).isInstanceOf(IOException.class);
        }
    }

    private static Properties kept() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(db.credentialsFile(), StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }

    /** A connection as a plain client would make it: the password only if given. */
    private static Connection connect(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + db.location().port() + "/postgres", p);
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    /** The machine's own addresses other than loopback: the server must not be reachable on them. */
    private static List<InetAddress> otherAddresses() throws IOException {
        List<InetAddress> found = new ArrayList<>();
        for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
            if (nic.isUp() && !nic.isLoopback()) {
                nic.inetAddresses().filter(a -> a instanceof Inet4Address).forEach(found::add);
            }
        }
        return found;
    }

    private record Answer(int exitCode, String output) {
    }

    /** psql as a local user would run it, with no password anywhere it looks and never asking for one. */
    private static Answer psql(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("psql", "-w", "-X", "-c", "SELECT 1"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.remove("PGPASSWORD");
        env.put("PGPASSFILE", folder.resolve("no-pgpass").toString());
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Answer(p.exitValue(), output);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(java.io.File.pathSeparator)).stream()
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
