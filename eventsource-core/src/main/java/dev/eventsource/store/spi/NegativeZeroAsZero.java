package dev.eventsource.store.spi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonGeneratorDecorator;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;

import java.io.IOException;

/**
 * Writes {@code -0.0} as {@code 0.0}, for every {@code double} and {@code float} the mapper
 * writes (record components, boxed values, arrays, tree nodes). PostgreSQL's {@code jsonb} stores
 * numbers as {@code numeric}, which has no negative zero; writing it as zero everywhere is what
 * keeps a payload reading back the same from every backend.
 */
final class NegativeZeroAsZero implements JsonGeneratorDecorator {

    @Override
    public JsonGenerator decorate(JsonFactory factory, JsonGenerator generator) {
        return new JsonGeneratorDelegate(generator, false) {
            @Override
            public void writeNumber(double v) throws IOException {
                // -0.0 == 0.0, so this maps both zeros to positive zero and leaves NaN alone.
                super.writeNumber(v == 0.0 ? 0.0 : v);
            }

            @Override
            public void writeNumber(float v) throws IOException {
                super.writeNumber(v == 0.0f ? 0.0f : v);
            }

            @Override
            public void writeArray(double[] array, int offset, int length) throws IOException {
                // The delegate would write the elements itself, past writeNumber above.
                writeStartArray(array, length);
                for (int i = offset; i < offset + length; i++) {
                    writeNumber(array[i]);
                }
                writeEndArray();
            }
        };
    }
}
