package org.workforcewatch.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseLocationTest {

    @Test
    void oneUrlGivesBothTheR2dbcAndTheFlywayConnection() {
        DatabaseLocation db = DatabaseLocation.parse("postgresql://workforce:s%40cret@db.example.org:6432/wf", null, null);
        assertThat(db.r2dbcUrl()).isEqualTo("r2dbc:postgresql://db.example.org:6432/wf");
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6432/wf");
        assertThat(db.springProperties()).containsEntry("spring.r2dbc.username", "workforce")
                .containsEntry("spring.r2dbc.password", "s@cret").containsEntry("spring.flyway.user", "workforce")
                .containsEntry("spring.flyway.password", "s@cret");
    }

    @Test
    void jdbcAndR2dbcFormsAndQueryCredentialsAreAccepted() {
        assertThat(DatabaseLocation.parse("jdbc:postgresql://127.0.0.1/test?user=app&password=pw", null, null))
                .isEqualTo(new DatabaseLocation("127.0.0.1", 5432, "test", "app", "pw"));
        assertThat(DatabaseLocation.parse("r2dbc:postgresql://h:5433/d", "u", "p"))
                .isEqualTo(new DatabaseLocation("h", 5433, "d", "u", "p"));
        assertThat(DatabaseLocation.parse("postgresql://h/d", null, null).username()).isEqualTo("postgres");
    }

    @Test
    void aUrlThatIsNotPostgresqlSaysWhatIsExpected() {
        assertThatThrownBy(() -> DatabaseLocation.parse("mysql://h/d", null, null))
                .hasMessageContaining("postgresql://user@host:5432/database");
        assertThatThrownBy(() -> DatabaseLocation.parse("postgresql://h", null, null)).hasMessageContaining("database name");
    }
}
