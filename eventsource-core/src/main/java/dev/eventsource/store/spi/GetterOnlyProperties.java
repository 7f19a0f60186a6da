package dev.eventsource.store.spi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ser.PropertyWriter;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;

import java.io.IOException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a strict read skip the properties the same mapper writes for a class but cannot set, such
 * as a record's derived {@code getTotal()}; every other unknown property stays an error. Without
 * it, a strict read would refuse the very JSON the mapper wrote.
 */
final class GetterOnlyProperties extends DeserializationProblemHandler {

    private final ObjectMapper json;
    private final Map<Class<?>, Set<String>> written = new ConcurrentHashMap<>();

    GetterOnlyProperties(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser, JsonDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) throws IOException {
        Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
        if (!written.computeIfAbsent(type, this::writtenNames).contains(propertyName)) {
            return false;
        }
        parser.skipChildren();
        return true;
    }

    private Set<String> writtenNames(Class<?> type) {
        Set<String> names = new HashSet<>();
        try {
            Iterator<PropertyWriter> properties = json.getSerializerProviderInstance().findValueSerializer(type).properties();
            properties.forEachRemaining(p -> names.add(p.getName()));
        } catch (JsonMappingException e) {
            // A class the mapper cannot write has no written properties to allow.
        }
        return names;
    }
}
