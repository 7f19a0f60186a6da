package dev.eventsource.tck;

import dev.eventsource.EventSourceException;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard behind "every library exception extends {@link EventSourceException}": scans the
 * compiled classes of one module (a directory or a jar) and fails if a {@link Throwable} declared
 * there does not extend the root. Backend modules call it from a test with any class of theirs.
 */
public final class ExceptionHierarchy {

    private ExceptionHierarchy() {
    }

    /**
     * Fails unless every throwable class in {@code anchor}'s module extends {@link EventSourceException}.
     *
     * @return the exception classes found, so a caller can also check that the scan saw them
     */
    public static List<Class<?>> assertEveryExceptionExtendsTheRoot(Class<?> anchor) {
        List<Class<?>> throwables = throwablesBeside(anchor);
        assertThat(throwables).allSatisfy(type -> assertThat(EventSourceException.class.isAssignableFrom(type))
                .as(type.getName() + " must extend EventSourceException")
                .isTrue());
        return throwables;
    }

    private static List<Class<?>> throwablesBeside(Class<?> anchor) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return scan(location, anchor.getClassLoader());
            }
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                return scan(jar.getPath("/"), anchor.getClassLoader());
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the classes beside " + anchor.getName(), e);
        }
    }

    private static List<Class<?>> scan(Path root, ClassLoader loader) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".class") && !p.toString().endsWith("module-info.class"))
                    .map(p -> root.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(name -> load(name, loader))
                    .filter(Throwable.class::isAssignableFrom)
                    .collect(Collectors.toList());
        }
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
