package org.workforcewatch.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded database starts again with the passwords of its first start. */
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

    static Connection connect(DatabaseLocation at) throws SQLException {
        return DriverManager.getConnection(at.jdbcUrl(), at.username(), at.password());
    }

    static String query(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }
}
