package io.metastore.node.storage;

import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Loads RocksDB's native library from a copy kept between runs, rather than RocksDB's way.
 * <p>
 * RocksDB copies its 15 MB library out of its jar into a new temporary file at every start and deletes it at a
 * normal exit. A process that is killed (a crash, {@code kill -9}, a supervisor's restart loop, every process test)
 * leaves that file behind: 15 MB more in {@code /tmp} each time. Here the library is copied once per RocksDB jar into
 * {@code <java.io.tmpdir>/metastore-<user>/<jar>/}, under a directory only its owner can write, and loaded from
 * there; the copy
 * is written to a temporary name and renamed, so processes starting together never load a half-written file.
 * Where that cannot be done (no POSIX permissions, a directory owned by someone else, a library not in a jar) it
 * falls back to RocksDB's own loading.
 */
public final class RocksDbLibrary
{
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private RocksDbLibrary()
    {
    }

    /**
     * Load the library, once per process.
     */
    public static synchronized void load()
    {
        final File dir = cacheDirectory();
        if (null == dir || !loadFrom(dir))
        {
            RocksDB.loadLibrary();
        }
    }

    /**
     * @return the directory the library is kept in for this user: {@code <java.io.tmpdir>/metastore-<user>}.
     */
    static File cacheDirectory()
    {
        return new File(System.getProperty("java.io.tmpdir"), "metastore-" + System.getProperty("user.name"));
    }

    private static boolean loadFrom(final File dir)
    {
        final String fileName = Environment.getJniLibraryFileName("rocksdb");
        final URL resource = RocksDB.class.getClassLoader().getResource(fileName);
        if (null == resource)
        {
            return false;
        }

        try
        {
            final URLConnection connection = resource.openConnection();
            if (!(connection instanceof JarURLConnection jarConnection))
            {
                return false;
            }
            final long length = connection.getContentLengthLong();
            final String jarName = new File(jarConnection.getJarFileURL().getPath()).getName();
            final Path directory = ownerOnlyDirectory(dir.toPath());
            if (null == directory)
            {
                return false;
            }

            // In a directory named by the jar, which carries RocksDB's version, so another version has its own
            // copy; under the name RocksDB.loadLibrary(paths) looks for, which in 10.10 is not the name of the
            // library in the jar ("librocksdbjnijni-linux64.so": it passes "rocksdbjni" where the jar's name is
            // built from "rocksdb"). RocksDbLibraryTest fails if a later version looks elsewhere.
            final Path versionDirectory = directory.resolve(jarName.replaceAll("\\.jar$", ""));
            Files.createDirectories(versionDirectory);
            final Path library = versionDirectory.resolve(Environment.getJniLibraryFileName("rocksdbjni"));
            if (!Files.isRegularFile(library, LinkOption.NOFOLLOW_LINKS) || Files.size(library) != length)
            {
                final Path copy = Files.createTempFile(versionDirectory, fileName, ".tmp");
                try (InputStream in = connection.getInputStream())
                {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(copy, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                finally
                {
                    Files.deleteIfExists(copy);
                }
            }

            RocksDB.loadLibrary(List.of(versionDirectory.toString()));
            return true;
        }
        catch (final IOException | UnsupportedOperationException | UnsatisfiedLinkError ex)
        {
            return false;
        }
    }

    /**
     * @return the directory, created if need be, if it is this user's own and no one else can write to it; else
     * null, as a library there could have been put there by someone else.
     */
    private static Path ownerOnlyDirectory(final Path dir) throws IOException
    {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS))
        {
            try
            {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            }
            catch (final FileAlreadyExistsException ex)
            {
                // Created by a process starting at the same time: checked below as any other.
            }
        }

        final PosixFileAttributes attributes =
            Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        final boolean isOwn = attributes.isDirectory() &&
            attributes.owner().getName().equals(System.getProperty("user.name")) &&
            attributes.permissions().equals(OWNER_ONLY);

        return isOwn ? dir : null;
    }
}
