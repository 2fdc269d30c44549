package io.metastore.tools;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM options the {@code metastore} launcher script starts a verb with, seen by a stand-in {@code java} that
 * prints its arguments, in a copy of the script with an empty build beside it.
 */
class LauncherTest
{
    private static final Path SCRIPT = Path.of(System.getProperty("user.dir")).getParent().resolve("metastore");

    @TempDir
    Path root;

    private Path archive;
    private Path picocli;

    @BeforeEach
    void before() throws IOException
    {
        Files.copy(SCRIPT, root.resolve("metastore"), StandardCopyOption.COPY_ATTRIBUTES);
        final Path target = Files.createDirectories(root.resolve("tools").resolve("target"));
        Files.createDirectories(target.resolve("lib"));
        Files.createFile(target.resolve("metastore-tools.jar"));
        picocli = Files.createFile(target.resolve("lib").resolve("picocli-4.7.7.jar"));
        archive = target.resolve("metastore-cli.jsa");

        final Path java = Files.createDirectories(root.resolve("jdk").resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor arg in \"$@\"; do echo \"$arg\"; done\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void shouldStartAVerbWithTheClassDataArchiveTheBuildMade() throws Exception
    {
        Files.createFile(archive);

        final List<String> args = javaArgs("get", "k");

        assertTrue(args.contains("-XX:SharedArchiveFile=" + archive.toRealPath()), args::toString);
        assertTrue(args.contains("-XX:TieredStopAtLevel=1"), args::toString);
        assertTrue(args.contains("-Xbootclasspath/a:" + picocli.toRealPath()), args::toString);
        assertEquals(List.of("io.metastore.tools.MetaStoreCli", "get", "k"),
            args.subList(args.size() - 3, args.size()));
    }

    @Test
    void shouldStartAVerbWithoutAnArchiveWhenThereIsNone() throws Exception
    {
        final List<String> args = javaArgs("put", "k", "v");

        assertTrue(args.stream().noneMatch((arg) -> arg.startsWith("-XX:SharedArchiveFile")), args::toString);
        assertTrue(args.contains("-XX:TieredStopAtLevel=1"), args::toString);
    }

    @Test
    void shouldRunServerAndBenchWithTheJvmDefaults() throws Exception
    {
        Files.createFile(archive);

        for (final String verb : List.of("server", "bench"))
        {
            final List<String> args = javaArgs(verb, "--help");

            assertFalse(args.stream().anyMatch((arg) -> arg.startsWith("-XX:") || arg.startsWith("-Xboot")),
                args::toString);
            assertEquals(List.of("io.metastore.tools.MetaStoreCli", verb, "--help"),
                args.subList(args.size() - 3, args.size()));
        }
    }

    @Test
    void shouldPutTheCallersJavaOptionsAfterItsOwn() throws Exception
    {
        final List<String> args = javaArgs("get", "k");
        final List<String> withOpts = javaArgs(List.of("METASTORE_JAVA_OPTS=-XX:TieredStopAtLevel=4"), "get", "k");

        assertTrue(withOpts.lastIndexOf("-XX:TieredStopAtLevel=4") > withOpts.indexOf("-XX:TieredStopAtLevel=1"),
            withOpts::toString);
        assertEquals(args.size() + 1, withOpts.size(), withOpts::toString);
    }

    private List<String> javaArgs(final String... verb) throws Exception
    {
        return javaArgs(List.of(), verb);
    }

    private List<String> javaArgs(final List<String> env, final String... verb) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(root.resolve("metastore").toString());
        command.addAll(List.of(verb));
        final ProcessBuilder builder = new ProcessBuilder(command)
            .directory(root.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("METASTORE_NO_BUILD", "1");
        builder.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        builder.environment().remove("METASTORE_JAVA_OPTS");
        for (final String variable : env)
        {
            final int equals = variable.indexOf('=');
            builder.environment().put(variable.substring(0, equals), variable.substring(equals + 1));
        }

        final Process process = builder.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "launcher did not exit");
        assertEquals(0, process.exitValue(), out);

        return out.lines().toList();
    }

    static File script()
    {
        return SCRIPT.toFile();
    }
}
