package dev.eventsource;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ExceptionHierarchyTest {

    @Test
    void every_exception_the_core_declares_extends_the_library_root() throws Exception {
        List<Class<?>> throwables = declaredThrowables();

        assertThat(throwables).as("the scan must find the library's exceptions").hasSizeGreaterThan(5);
        assertThat(throwables).allSatisfy(type ->
                assertThat(EventSourceException.class.isAssignableFrom(type))
                        .as(type.getName() + " must extend EventSourceException")
                        .isTrue());
    }

    private static List<Class<?>> declaredThrowables() throws IOException, URISyntaxException {
        Path root = Path.of(EventSourceException.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString().replace('/', '.').replace(".class", ""))
                    .map(ExceptionHierarchyTest::load)
                    .filter(Throwable.class::isAssignableFrom)
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ExceptionHierarchyTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
