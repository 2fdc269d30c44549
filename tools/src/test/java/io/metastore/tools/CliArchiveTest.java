package io.metastore.tools;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The class-data archive the build makes for the command line's verbs: the launcher, run as a user runs it after the
 * build, starts a verb's JVM with it, the verb's classes come from it, and the verb works. Runs after the package
 * phase (the {@code cli-archive} execution in tools/pom.xml), when the jar, its lib/ and the archive exist.
 */
class CliArchiveTest
{
    private static final int BASE_PORT = 44500;
    private static final File TARGET = new File(System.getProperty("user.dir"), "target");

    @TempDir
    File dir;

    private CliNode node;

    @BeforeEach
    void before()
    {
        assumeTrue(new File(TARGET, "metastore-tools.jar").isFile(), "runs after the package phase");
        node = CliNode.start(BASE_PORT, new File(dir, "node"));
    }

    @AfterEach
    void after()
    {
        if (null == node)
        {
            return;
        }
        node.close();
        node.assertNoErrors();
    }

    @Test
    void shouldRunAVerbWithItsClassesFromTheArchiveTheBuildMade() throws Exception
    {
        assertTrue(new File(TARGET, "metastore-cli.jsa").isFile(), "the build made no archive in " + TARGET);
        final File classes = new File(dir, "classes.log");

        assertEquals(List.of("OK"), launch(classes, "put", "greeting", "hello"));
        assertEquals(List.of("greeting", "hello"), launch(classes, "get", "greeting"));

        final List<String> loaded = Files.readAllLines(classes.toPath(), StandardCharsets.UTF_8);
        for (final String name : List.of("io.metastore.tools.GetCommand", "io.metastore.client.MetaStoreClient"))
        {
            assertTrue(loaded.stream().anyMatch((line) -> line.contains(" " + name + " source: shared objects file")),
                () -> name + " was not loaded from the archive: " + loaded.stream()
                    .filter((line) -> line.contains(" " + name + " ")).toList());
        }
    }

    private List<String> launch(final File classes, final String... verb) throws Exception
    {
        final List<String> command = new ArrayList<>();
        command.add(LauncherTest.script().getPath());
        command.addAll(List.of(verb));
        command.add("--endpoints");
        command.add("localhost:" + BASE_PORT);
        final File err = new File(dir, "err.txt");
        final ProcessBuilder builder = new ProcessBuilder(command).directory(dir).redirectError(err);
        builder.environment().put("METASTORE_NO_BUILD", "1");
        builder.environment().put("JAVA_HOME", Path.of(System.getProperty("java.home")).toString());
        builder.environment().put("METASTORE_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes.getPath());

        final Process process = builder.start();
        final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "launcher did not exit");
        final String errText = Files.readString(err.toPath(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), () -> out + errText);
        assertEquals("", errText);

        return out.lines().toList();
    }
}
