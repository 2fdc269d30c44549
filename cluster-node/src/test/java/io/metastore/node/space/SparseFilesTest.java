package io.metastore.node.space;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.RandomAccessFile;
import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SparseFilesTest
{
    @TempDir
    File dir;

    @Test
    void shouldGiveEveryHoleABlockAndKeepTheContent() throws Exception
    {
        final File file = new File(dir, "catalog");
        try (RandomAccessFile raf = new RandomAccessFile(file, "rw"))
        {
            raf.setLength(1024 * 1024);
            raf.seek(8192 + 17);
            raf.write(new byte[]{ 1, 2, 3 });
        }
        final byte[] before = Files.readAllBytes(file.toPath());
        final long blocksBefore = allocatedBytes(file);

        final int written = SparseFiles.allocate(file);

        assertEquals(255, written);
        assertArrayEquals(before, Files.readAllBytes(file.toPath()));
        assertTrue(blocksBefore < 1024 * 1024, "sparse to begin with: " + blocksBefore);
        assertTrue(allocatedBytes(file) >= 1024 * 1024, "allocated " + allocatedBytes(file));
        assertEquals(0, SparseFiles.allocate(new File(dir, "missing")));
    }

    /**
     * What the file system gave the file, as {@code du} counts it: stat's 512-byte blocks.
     */
    private static long allocatedBytes(final File file) throws Exception
    {
        final Process stat = new ProcessBuilder("stat", "--format=%b", file.getPath()).start();
        final String blocks = new String(stat.getInputStream().readAllBytes()).trim();
        assertEquals(0, stat.waitFor(), "stat " + file);
        return Long.parseLong(blocks) * 512;
    }
}
