package io.forkpool.internal.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What counts as private (this user's, writable by nobody else, not a symbolic link), and that
 * creating the cache directory neither follows a link planted at its name nor accepts a
 * directory that is not private.
 */
class PrivatePathsTest {

    @TempDir
    Path dir;

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void createsEveryMissingDirectoryForThisUserOnly() throws Exception {
        Path cache = dir.resolve("xdg").resolve("forkpool");
        PrivatePaths.createPrivateDirectories(cache);
        assertThat(permissions(cache.getParent())).isEqualTo("rwx------");
        assertThat(permissions(cache)).isEqualTo("rwx------");
        assertThat(PrivatePaths.whyNotPrivateDirectory(cache)).isEmpty();
        PrivatePaths.createPrivateDirectories(cache); // and accepts it as it is the next time
    }

    @Test
    void refusesASymbolicLinkAtTheDirectoryItWouldCreateAndCreatesNothingThrough() throws Exception {
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Path cache = Files.createSymbolicLink(dir.resolve("cache"), elsewhere);
        assertThatThrownBy(() -> PrivatePaths.createPrivateDirectories(cache))
                .isInstanceOf(IOException.class).hasMessage(cache + " is a symbolic link");
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThatThrownBy(() -> PrivatePaths.createPrivateDirectories(dangling))
                .isInstanceOf(IOException.class).hasMessage(dangling + " is a symbolic link");
        assertThat(dir.resolve("nowhere")).doesNotExist();
        try (var entries = Files.list(elsewhere)) {
            assertThat(entries.toList()).isEmpty();
        }
    }

    @Test
    void refusesADirectoryItsGroupOrOthersCanWrite() throws Exception {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        for (String mode : new String[] {"rwxrwx---", "rwx----w-", "rwxrwxrwx"}) {
            Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString(mode));
            assertThat(PrivatePaths.whyNotPrivateDirectory(cache)).as(mode)
                    .contains("is writable by others than its owner (" + permissions(cache) + ")");
            assertThatThrownBy(() -> PrivatePaths.createPrivateDirectories(cache)).isInstanceOf(IOException.class);
        }
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(PrivatePaths.whyNotPrivateDirectory(cache)).isEmpty();
    }

    @Test
    void aFileMustBeARegularFileNotALink() throws Exception {
        Path file = Files.writeString(dir.resolve("archive"), "x");
        assertThat(PrivatePaths.whyNotPrivateFile(file)).isEmpty();
        assertThat(PrivatePaths.whyNotPrivateFile(Files.createSymbolicLink(dir.resolve("link"), file)))
                .contains("is a symbolic link");
        assertThat(PrivatePaths.whyNotPrivateFile(dir)).contains("is not a regular file");
        assertThat(PrivatePaths.whyNotPrivateFile(dir.resolve("missing"))).contains("does not exist");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(PrivatePaths.whyNotPrivateFile(file)).isPresent();
        assertThat(PrivatePaths.isOwnRegularFile(file)).as("an own file, whatever its mode").isTrue();
    }

    @Test
    void refusesWhatAnotherUserOwns() throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "only root can give a file away");
        Path file = Files.writeString(dir.resolve("theirs"), "x");
        Path directory = Files.createDirectory(dir.resolve("their-cache"));
        for (Path path : new Path[] {file, directory}) {
            Files.setAttribute(path, "unix:uid", 65534, LinkOption.NOFOLLOW_LINKS);
        }
        assertThat(PrivatePaths.whyNotPrivateFile(file)).hasValueSatisfying(why -> assertThat(why).startsWith("is owned by "));
        assertThat(PrivatePaths.isOwnRegularFile(file)).isFalse();
        assertThat(PrivatePaths.whyNotPrivateDirectory(directory)).hasValueSatisfying(
                why -> assertThat(why).startsWith("is owned by ").endsWith(", not root"));
    }
}
