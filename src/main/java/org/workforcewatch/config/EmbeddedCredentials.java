package org.workforcewatch.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The passwords of the embedded server's roles, made at random when its data folder is first secured and kept in
 * that folder in a file only the service's user may read (mode 0600): whoever can read it could read the data
 * folder itself. The bootstrap superuser only starts and checks the server; the owner role runs the migrations and
 * owns the schema; the service's role runs everything else.
 */
record EmbeddedCredentials(String superuser, String owner, String service) {

    static final String SUPERUSER = "postgres";
    static final String OWNER = "workforce_owner";
    static final String SERVICE = "workforce_app";

    /** The file's name in the data folder. */
    static final String FILE = "workforce-credentials";

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    static EmbeddedCredentials generate() {
        return new EmbeddedCredentials(secret(), secret(), secret());
    }

    /** The passwords kept in this data folder, if it has them. */
    static EmbeddedCredentials read(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
            restrict(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the database passwords in " + file + ": " + e.getMessage(), e);
        }
        EmbeddedCredentials read = new EmbeddedCredentials(p.getProperty(SUPERUSER), p.getProperty(OWNER), p.getProperty(SERVICE));
        if (read.superuser() == null || read.owner() == null || read.service() == null) {
            throw new IllegalStateException(file + " lacks a password of " + SUPERUSER + ", " + OWNER + " or " + SERVICE
                    + ". Delete the file: new passwords are then made at the next start.");
        }
        return read;
    }

    /** Keeps the passwords in the data folder: written aside with mode 0600, then moved into place in one step. */
    void write(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Path aside = dataDir.resolve(FILE + ".new");
        try {
            Files.deleteIfExists(aside);
            if (posix()) {
                Files.createFile(aside, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            try (Writer out = Files.newBufferedWriter(aside, StandardCharsets.UTF_8)) {
                out.write("# The passwords of this PostgreSQL data folder's roles, made at its first start by Workforce Watch.\n"
                        + "# Only the service's user may read this file. Delete it to have new passwords made at the next start.\n");
                out.write(SUPERUSER + "=" + superuser + "\n" + OWNER + "=" + owner + "\n" + SERVICE + "=" + service + "\n");
            }
            Files.move(aside, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not keep the database passwords in " + file + ": " + e.getMessage(), e);
        }
    }

    /** Puts the file back to 0600 should someone have opened it up. */
    private static void restrict(Path file) throws IOException {
        if (posix() && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** 256 random bits, URL-safe: nothing to quote in SQL, a URL or a properties file. */
    private static String secret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "EmbeddedCredentials[passwords hidden]";
    }
}
