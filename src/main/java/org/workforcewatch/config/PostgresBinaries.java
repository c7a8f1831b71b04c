package org.workforcewatch.config;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The PostgreSQL programs of the embedded server. The library unpacks them from the binaries on the class path
 * into {@code PG-<md5 of the archive>} in its working folder, once per JVM; this resolver hands it that archive and
 * notes its digest on the way, so that the service can run a program of the same installation itself (the server
 * in single-user mode, before the data folder's first start with passwords).
 */
final class PostgresBinaries implements PgBinaryResolver {

    /** One for every server of the JVM, so that the library unpacks the binaries once. */
    static final PostgresBinaries INSTANCE = new PostgresBinaries();

    private final Set<Path> workDirs = ConcurrentHashMap.newKeySet();
    private volatile String archiveMd5;

    private PostgresBinaries() {
    }

    /** Names a working folder the library may unpack into (the one of the server about to start). */
    void unpackInto(Path workDir) {
        workDirs.add(workDir);
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        if (archive == null) {
            return null;
        }
        MessageDigest md5 = md5();
        return new DigestInputStream(archive, md5) {
            private boolean closed;

            @Override
            public void close() throws IOException {
                super.close();
                if (!closed) { // the library closes it twice
                    closed = true;
                    archiveMd5 = HexFormat.of().formatHex(md5.digest());
                }
            }
        };
    }

    /** The command that runs one of the programs: as root, in a user namespace of its own, as the library does. */
    List<String> command(String program, String... args) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(program(program).toString());
        command.addAll(List.of(args));
        return command;
    }

    private Path program(String name) {
        String unpacked = archiveMd5;
        if (unpacked != null) {
            for (Path workDir : workDirs) {
                Path program = workDir.resolve("PG-" + unpacked).resolve("bin").resolve(name);
                if (Files.isExecutable(program)) {
                    return program;
                }
            }
        }
        throw new IllegalStateException("The PostgreSQL program " + name + " was not found where the embedded server was"
                + " unpacked (" + workDirs + ")");
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
