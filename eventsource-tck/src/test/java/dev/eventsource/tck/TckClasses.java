package dev.eventsource.tck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Reads the TCK's compiled main classes (a directory while building, a jar when installed). */
final class TckClasses {

    private TckClasses() {
    }

    /** Every class file of the TCK, by binary class name. */
    static Map<String, byte[]> classFiles() {
        try {
            Path location = Path.of(AppendContract.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return read(location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location)) {
                return read(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, byte[]> read(Path root) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class")).sorted()::iterator) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                classes.put(relative.substring(0, relative.length() - ".class".length()).replace('/', '.'),
                        Files.readAllBytes(file));
            }
        }
        return classes;
    }

    /** The loaded TCK classes. */
    static Stream<Class<?>> loaded() {
        return classFiles().keySet().stream().map(name -> {
            try {
                return Class.forName(name, false, TckClasses.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
