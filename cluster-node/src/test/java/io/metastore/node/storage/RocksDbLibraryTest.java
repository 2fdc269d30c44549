package io.metastore.node.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RocksDbLibraryTest
{
    @TempDir
    File tempDir;

    @Test
    void shouldLoadTheLibraryFromTheCopyKeptInADirectoryOnlyItsOwnerCanWrite() throws IOException
    {
        RocksDbStorage.open(tempDir).close();

        // The library this process mapped, not a new temporary copy that a kill would leave behind.
        final List<String> mapped = Files.readAllLines(Path.of("/proc/self/maps")).stream()
            .filter(line -> line.contains("librocksdbjni"))
            .map(line -> line.substring(line.indexOf('/')))
            .distinct()
            .collect(Collectors.toList());
        assertFalse(mapped.isEmpty(), "the library is mapped");
        final Path dir = RocksDbLibrary.cacheDirectory().toPath();
        for (final String path : mapped)
        {
            assertTrue(Path.of(path).startsWith(dir), path + " is under " + dir);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    }
}
