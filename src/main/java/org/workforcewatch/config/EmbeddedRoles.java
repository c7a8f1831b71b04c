package org.workforcewatch.config;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.postgresql.util.PasswordUtil;

/**
 * Who may sign in to the embedded server, set up on its data folder before the server starts. Nobody signs in
 * without a password: the only {@code pg_hba.conf} rule asks for a SCRAM password, over TCP from this machine
 * ({@code 127.0.0.1}, the only address the server listens on; it opens no Unix socket). The roles and their
 * passwords are made with the server in single-user mode, which reads its commands from this process and listens on
 * nothing, so the folder is never open to anyone in between. A folder made by an earlier version (every role trusted,
 * the service connected as the superuser) is secured the same way at its first start, and what it holds handed to
 * the owner role.
 */
final class EmbeddedRoles {

    /** The server's sign-in rules, written at every start: an edit of the file does not outlive a restart. */
    static final String HBA = """
            # Written by Workforce Watch at every start of its embedded PostgreSQL: sign-in with a password (SCRAM) only,
            # over TCP from this machine only. The passwords are in %s, readable by the service's user only.
            host all all 127.0.0.1/32 scram-sha-256
            """.formatted(EmbeddedCredentials.FILE);

    private EmbeddedRoles() {
    }

    /** Gives the folder's roles these passwords (and the roles and ownership they lack) and keeps them in the folder. */
    static void secure(Path dataDir, EmbeddedCredentials credentials) {
        singleUser(dataDir, bootstrap(credentials));
        credentials.write(dataDir);
    }

    /** Writes the sign-in rules unless they are already exactly these. */
    static void writeSignInRules(Path dataDir) {
        Path hba = dataDir.resolve("pg_hba.conf");
        try {
            if (!Files.exists(hba) || !Files.readString(hba).equals(HBA)) {
                Files.writeString(hba, HBA);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + hba + ": " + e.getMessage(), e);
        }
    }

    /**
     * The bootstrap, as the superuser, in one transaction. Passwords go in as SCRAM verifiers, so no password is ever
     * in a statement. The database and its schema are closed to everyone but the two roles; an earlier version's
     * tables, sequences, views and functions (all the superuser's) become the owner's. Running it again only changes
     * the passwords.
     */
    static String bootstrap(EmbeddedCredentials credentials) {
        String owner = EmbeddedCredentials.OWNER;
        String service = EmbeddedCredentials.SERVICE;
        return """
                BEGIN;

                DO $$
                BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%2$s') THEN
                        CREATE ROLE %2$s;
                    END IF;
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '%3$s') THEN
                        CREATE ROLE %3$s;
                    END IF;
                END $$;

                ALTER ROLE %1$s PASSWORD '%4$s';

                ALTER ROLE %2$s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '%5$s';

                ALTER ROLE %3$s LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOINHERIT PASSWORD '%6$s';

                REVOKE ALL ON DATABASE postgres FROM PUBLIC;

                GRANT CONNECT, TEMPORARY ON DATABASE postgres TO %2$s, %3$s;

                ALTER SCHEMA public OWNER TO %2$s;

                REVOKE ALL ON SCHEMA public FROM PUBLIC;

                GRANT USAGE ON SCHEMA public TO %3$s;

                DO $$
                DECLARE
                    o record;
                BEGIN
                    FOR o IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c
                             WHERE c.relnamespace = 'public'::regnamespace AND c.relowner = '%1$s'::regrole
                               AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                               -- a sequence of a serial or identity column follows its table
                               AND NOT (c.relkind = 'S' AND EXISTS (SELECT FROM pg_depend d
                                        WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                          AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')))
                    LOOP
                        EXECUTE format('ALTER %%s %%s OWNER TO %2$s', CASE o.relkind WHEN 'v' THEN 'VIEW'
                            WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE'
                            ELSE 'TABLE' END, o.name);
                    END LOOP;
                    FOR o IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p
                             WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = '%1$s'::regrole
                    LOOP
                        EXECUTE format('ALTER %%s %%s OWNER TO %2$s', CASE o.prokind WHEN 'a' THEN 'AGGREGATE'
                            ELSE 'ROUTINE' END, o.name);
                    END LOOP;
                    FOR o IN SELECT t.oid::regtype AS name FROM pg_type t
                             WHERE t.typnamespace = 'public'::regnamespace AND t.typowner = '%1$s'::regrole
                               AND t.typtype IN ('d', 'e')
                    LOOP
                        EXECUTE format('ALTER TYPE %%s OWNER TO %2$s', o.name);
                    END LOOP;
                END $$;

                COMMIT;

                """.formatted(EmbeddedCredentials.SUPERUSER, owner, service,
                verifier(credentials.superuser()), verifier(credentials.owner()), verifier(credentials.service()));
    }

    private static String verifier(String password) {
        return PasswordUtil.encodeScramSha256(password.toCharArray());
    }

    /**
     * Runs statements (each ended by a semicolon and a blank line) in the server's single-user mode on the stopped
     * folder. The first error ends it with a failure; statements are never written to its output.
     */
    private static void singleUser(Path dataDir, String sql) {
        ProcessBuilder builder = new ProcessBuilder(PostgresBinaries.INSTANCE.command("postgres", "--single", "-j",
                "-D", dataDir.toString(), "-F", "-c", "exit_on_error=on", "-c", "log_min_error_statement=panic",
                EmbeddedCredentials.SUPERUSER)).redirectErrorStream(true);
        try {
            Process postgres = builder.start();
            try (OutputStream in = postgres.getOutputStream()) {
                in.write(sql.getBytes(StandardCharsets.UTF_8));
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            postgres.getInputStream().transferTo(output);
            if (!postgres.waitFor(2, TimeUnit.MINUTES)) {
                postgres.destroyForcibly();
                throw new IllegalStateException("PostgreSQL in single-user mode on " + dataDir + " did not finish");
            }
            String said = output.toString(StandardCharsets.UTF_8);
            if (postgres.exitValue() != 0 || said.contains("ERROR:") || said.contains("FATAL:")) {
                throw new IllegalStateException("Could not set up the roles of the embedded PostgreSQL in " + dataDir
                        + " (exit code " + postgres.exitValue() + "):\n" + said);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run PostgreSQL in single-user mode on " + dataDir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
