package io.forkpool.internal.worker;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Files and directories that are this user's alone, for the class-data sharing cache: an archive
 * is code that workers map and run, so nobody else may have been able to write it, or to plant
 * anything where it is written. A path is private when it is not a symbolic link, is owned by
 * the current user ({@code user.name}) and is writable by neither its group nor others.
 *
 * <p>Every check reads the path's own attributes ({@link LinkOption#NOFOLLOW_LINKS}): a symbolic
 * link is refused whatever it points to, since whoever planted it could repoint it. Only the last
 * component is checked, and every directory {@link #createPrivateDirectories} creates; parents
 * that already existed are the user's choice. On a file system without POSIX permissions only
 * the link and the owner are checked.
 */
public final class PrivatePaths {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS =
            EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private PrivatePaths() {
    }

    /**
     * Tells why a directory is not private, if it is not.
     *
     * @param directory the directory
     * @return empty if it is a directory, not a symbolic link, this user's and writable by nobody
     *     else; otherwise why not, to follow the path in a message ("is a symbolic link", "is owned
     *     by bob, not alice", "does not exist"…)
     */
    public static Optional<String> whyNotPrivateDirectory(Path directory) {
        return whyNotPrivate(directory, true, true);
    }

    /**
     * Tells why a file is not private, if it is not.
     *
     * @param file the file
     * @return empty if it is a regular file, not a symbolic link, this user's and writable by
     *     nobody else; otherwise why not, to follow the path in a message
     */
    public static Optional<String> whyNotPrivateFile(Path file) {
        return whyNotPrivate(file, false, true);
    }

    /**
     * Tells whether a path is a regular file of this user's, not a symbolic link, whatever its
     * permissions (a lock file's, for instance, depend on the umask of whoever created it).
     *
     * @param file the file
     * @return whether it is a regular file this user owns
     */
    static boolean isOwnRegularFile(Path file) {
        return whyNotPrivate(file, false, false).isEmpty();
    }

    /**
     * Creates a directory and any missing parents for this user only (0700), then checks that
     * each directory it created, and the directory itself, is private. A missing directory is
     * created with {@code mkdir}, which fails rather than follow a symbolic link planted at its
     * name; one that appears meanwhile (another recorder's, or anyone's) is checked like the rest.
     *
     * @param directory the directory
     * @throws IOException if a directory cannot be created, or one is not private; the message
     *     names it and says why
     */
    public static void createPrivateDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path path = absolute; path != null && !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
                path = path.getParent()) {
            missing.push(path); // outermost first
        }
        for (Path path : missing) {
            try {
                Files.createDirectory(path, ownerOnly());
            } catch (FileAlreadyExistsException e) {
                // created meanwhile: checked below like one of ours
            }
            requirePrivateDirectory(path);
        }
        requirePrivateDirectory(absolute);
    }

    /**
     * Creates a new directory, with a random name that did not exist before (the creation is
     * exclusive), that only this user can enter (0700); nobody else can have planted anything in it.
     *
     * @param parent where to create it
     * @param prefix the start of its name
     * @return the new directory
     * @throws IOException if it cannot be created, or is not private after all
     */
    public static Path createPrivateTemporaryDirectory(Path parent, String prefix) throws IOException {
        Path created = Files.createTempDirectory(parent, prefix, ownerOnly());
        requirePrivateDirectory(created);
        return created;
    }

    private static void requirePrivateDirectory(Path directory) throws IOException {
        Optional<String> why = whyNotPrivateDirectory(directory);
        if (why.isPresent()) {
            throw new IOException(directory + " " + why.get());
        }
    }

    private static FileAttribute<?>[] ownerOnly() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    private static Optional<String> whyNotPrivate(Path path, boolean directory, boolean checkPermissions) {
        try {
            BasicFileAttributes attributes = POSIX
                    ? Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                return Optional.of("is a symbolic link");
            }
            if (directory ? !attributes.isDirectory() : !attributes.isRegularFile()) {
                return Optional.of(directory ? "is not a directory" : "is not a regular file");
            }
            UserPrincipal owner = attributes instanceof PosixFileAttributes posix ? posix.owner()
                    : Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
            UserPrincipal self = currentUser();
            if (!owner.equals(self)) {
                return Optional.of("is owned by " + owner.getName() + ", not " + self.getName());
            }
            if (checkPermissions && attributes instanceof PosixFileAttributes posix
                    && !Collections.disjoint(posix.permissions(), WRITABLE_BY_OTHERS)) {
                return Optional.of("is writable by others than its owner ("
                        + PosixFilePermissions.toString(posix.permissions()) + ")");
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.of("does not exist");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot be checked (" + e + ")");
        }
    }

    private static UserPrincipal currentUser() throws IOException {
        return FileSystems.getDefault().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
    }
}
