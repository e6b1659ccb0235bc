package io.forkpool.internal.worker;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A recording command that plays an attacker who wins the race against the recorder: started
 * after the recorder has cleared its names, it plants a symbolic link to the victim at each
 * given name that is free, then runs the real writer, which follows symbolic links as a JVM
 * opening its archive file would. Exits with the writer's exit code.
 *
 * <pre>{@code java PlantSymlinks <victim> <name>... -- <writer command...>}</pre>
 */
final class PlantSymlinks {

    private PlantSymlinks() {
    }

    public static void main(String[] args) throws Exception {
        List<String> arguments = Arrays.asList(args);
        int separator = arguments.indexOf("--");
        Path victim = Path.of(arguments.get(0));
        for (String name : arguments.subList(1, separator)) {
            Path link = Path.of(name);
            if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(link, victim);
            }
        }
        Process writer = new ProcessBuilder(arguments.subList(separator + 1, arguments.size())).inheritIO().start();
        System.exit(writer.waitFor());
    }
}
