package dev.eventsource.tck;

import dev.eventsource.EventSourceException;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guards behind the library's exception rules, run on the compiled classes of one module (a
 * directory or a jar): every {@link Throwable} declared there extends {@link EventSourceException},
 * and no class there constructs the root itself, so a caller matching on types always gets a leaf
 * it can act on. Backend modules call them from a test with any class of theirs.
 */
public final class ExceptionHierarchy {

    private static final String ROOT = EventSourceException.class.getName().replace('.', '/');

    private ExceptionHierarchy() {
    }

    /**
     * Fails unless every throwable class in {@code anchor}'s module extends {@link EventSourceException}.
     *
     * @return the exception classes found, so a caller can also check that the scan saw them
     */
    public static List<Class<?>> assertEveryExceptionExtendsTheRoot(Class<?> anchor) {
        List<Class<?>> throwables = ExceptionHierarchy.<List<Class<?>>>classesBeside(anchor, root -> {
            try (Stream<Path> files = classFiles(root)) {
                List<Class<?>> found = new ArrayList<>();
                for (Path file : (Iterable<Path>) files::iterator) {
                    Class<?> type = load(className(root, file), anchor.getClassLoader());
                    if (Throwable.class.isAssignableFrom(type)) {
                        found.add(type);
                    }
                }
                return found;
            }
        });
        assertThat(throwables).allSatisfy(type -> assertThat(EventSourceException.class.isAssignableFrom(type))
                .as(type.getName() + " must extend EventSourceException")
                .isTrue());
        return throwables;
    }

    /**
     * Fails if a class in {@code anchor}'s module constructs a bare {@link EventSourceException}
     * ({@code new EventSourceException(...)} or {@code EventSourceException::new}), or declares an
     * anonymous subclass of it: it must throw the leaf that says what happened. Read from the
     * bytecode, so it sees every call however it is written. A class that extends the root directly
     * may call its constructor (that is its {@code super(...)} call).
     *
     * @return the number of classes scanned, so a caller can check that the scan saw them
     */
    public static int assertNoClassConstructsTheBareRoot(Class<?> anchor) {
        List<String> offenders = new ArrayList<>();
        int scanned = classesBeside(anchor, root -> {
            int count = 0;
            try (Stream<Path> files = classFiles(root)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    count++;
                    ClassFile type = ClassFile.read(Files.readAllBytes(file));
                    boolean subclass = ROOT.equals(type.superName);
                    if (subclass ? type.anonymous : type.callsRootConstructor) {
                        offenders.add(className(root, file));
                    }
                }
            }
            return count;
        });
        assertThat(offenders)
                .as("classes that construct a bare EventSourceException; throw the leaf that says what happened"
                        + " (TransientEventStoreException, StoreUnavailableException, IncompatibleStoreException,"
                        + " StoreNotInitializedException, UnexpectedStoreException, ...) instead")
                .isEmpty();
        return scanned;
    }

    private interface Scan<T> {
        T in(Path root) throws IOException;
    }

    private static <T> T classesBeside(Class<?> anchor, Scan<T> scan) {
        try {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                return scan.in(location);
            }
            try (FileSystem jar = FileSystems.newFileSystem(location, Map.of())) {
                return scan.in(jar.getPath("/"));
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list the classes beside " + anchor.getName(), e);
        }
    }

    private static Stream<Path> classFiles(Path root) throws IOException {
        return Files.walk(root)
                .filter(p -> p.toString().endsWith(".class") && !p.toString().endsWith("module-info.class"));
    }

    private static String className(Path root, Path file) {
        return root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the guard needs of a class file: its superclass, whether it is anonymous, and whether
     * its constant pool holds a reference to the root's constructor (a {@code new} or a method
     * reference both need one).
     */
    private record ClassFile(String superName, boolean anonymous, boolean callsRootConstructor) {

        static ClassFile read(byte[] bytes) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            int[] tags = new int[count];
            int[] first = new int[count];
            int[] second = new int[count];
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                tags[i] = tag;
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++;
                    }
                    case 9, 10, 11, 12, 17, 18 -> {
                        first[i] = in.readUnsignedShort();
                        second[i] = in.readUnsignedShort();
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        first[i] = in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag);
                }
            }
            Function<Integer, String> className = index -> index == 0 ? null : utf8[first[index]];
            boolean callsRoot = false;
            for (int i = 1; i < count; i++) {
                if (tags[i] == 10 && ROOT.equals(className.apply(first[i])) && "<init>".equals(utf8[first[second[i]]])) {
                    callsRoot = true;
                }
            }
            in.readUnsignedShort();
            String self = className.apply(in.readUnsignedShort());
            String superName = className.apply(in.readUnsignedShort());
            boolean anonymous = self.matches(".*\\$[0-9]+");
            return new ClassFile(superName, anonymous, callsRoot);
        }
    }
}
