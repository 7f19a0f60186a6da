package dev.eventsource.store.spi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The one-scan object check says yes only where Jackson reads exactly one object too. */
class JsonObjectScanTest {

    private static final JsonFactory JACKSON = new JsonFactory();

    private static boolean jackson(String json) {
        try (JsonParser p = JACKSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            p.skipChildren();
            return p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void agrees_with_jackson_on_valid_and_broken_objects() {
        List<String> valid = List.of("{}", " {} ", "{\"a\":1}", "{\"a\":-0.5e+10,\"b\":[1,2,{\"c\":null}],\"d\":true,\"e\":false}",
                "{\"s\":\"\\u00e9\\n\\t\\\\\\\"\\/\"}", "{\"a\":[]}", "{\"a\":{}}", "\n{\"a\" : [ 1 , 2 ] }\r\n",
                "{\"ü\":\"日本\"}", "{\"a\":0}", "{\"a\":-0}", "{\"a\":1E3}");
        List<String> broken = List.of("", " ", "[]", "\"x\"", "1", "null", "{", "}", "{\"a\"}", "{\"a\":}", "{\"a\":1,}",
                "{,}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":+1}", "{\"a\":-}", "{\"a\":1e}", "{'a':1}",
                "{a:1}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":NaN}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}",
                "{\"a\":\"tab\there\"}", "{} {}", "{}x", "{\"a\":1}]", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\" 1}",
                "{\"a\":\"unterminated}", "{\"a\":1e5x}", "{\"a\":truex}");
        for (String json : valid) {
            assertThat(JsonObjectScan.isObject(json)).as(json).isTrue();
            assertThat(jackson(json)).as("Jackson: " + json).isTrue();
        }
        for (String json : broken) {
            assertThat(JsonObjectScan.isObject(json)).as(json).isFalse();
        }
        assertThat(JsonObjectScan.isObject(null)).isFalse();
    }

    /** The scan's ASCII verdict lets the encoder copy stored JSON without looking at it again: it must be exact. */
    @Test
    void says_ascii_only_when_every_character_is() {
        assertThat(JsonObjectScan.scan("{\"a\":\"b\",\"n\":[1,2.5,null]}")).isEqualTo(JsonObjectScan.ASCII_OBJECT);
        assertThat(JsonObjectScan.scan("{\"a\":\"\\u00e9\\n\"}")).as("escapes are ASCII").isEqualTo(JsonObjectScan.ASCII_OBJECT);
        assertThat(JsonObjectScan.scan("{\"a\":\"\u007f\"}")).as("DEL is ASCII").isEqualTo(JsonObjectScan.ASCII_OBJECT);
        for (String beyond : List.of("\u0080", "é", "ÿ", "€", "\uD83D\uDE00", "\uD800")) {
            assertThat(JsonObjectScan.scan("{\"a\":\"x" + beyond + "\"}")).as("in a value: " + beyond).isEqualTo(JsonObjectScan.OBJECT);
            assertThat(JsonObjectScan.scan("{\"" + beyond + "\":1}")).as("in a name: " + beyond).isEqualTo(JsonObjectScan.OBJECT);
        }
        assertThat(JsonObjectScan.scan("{\"a\":1}é")).isEqualTo(JsonObjectScan.NOT_AN_OBJECT);
        assertThat(JsonObjectScan.scan(null)).isEqualTo(JsonObjectScan.NOT_AN_OBJECT);
    }

    @Test
    void never_says_yes_where_jackson_says_no_on_mutated_documents() {
        Random random = new Random(42);
        String base = "{\"orderId\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"lines\":[{\"sku\":\"A-1\",\"qty\":2,"
                + "\"price\":-12.50e-1},{\"sku\":\"B\\u00e9\",\"qty\":0,\"gift\":true,\"note\":null}],\"total\":1E+3}";
        String alphabet = "{}[]\":,.-+eE0123456789tfnulrs\\ \t\nxa/u";
        List<String> disagreements = new ArrayList<>();
        int yes = 0;
        for (int n = 0; n < 50_000; n++) {
            String json = mutated(random, base, alphabet);
            boolean mine = JsonObjectScan.isObject(json);
            if (mine) {
                yes++;
            }
            if (mine != jackson(json)) {
                disagreements.add(json);
            }
        }
        assertThat(disagreements).as("documents the two judge differently").isEmpty();
        assertThat(yes).as("some mutations stay valid JSON, so both sides were exercised").isPositive();
    }

    /** {@code base} with one to three characters deleted, inserted or replaced, from {@code alphabet}. */
    static String mutated(Random random, String base, String alphabet) {
        StringBuilder b = new StringBuilder(base);
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        return b.toString();
    }

    @Test
    void what_is_beyond_its_limits_goes_to_jackson() {
        String deep = "{\"a\":" + "[".repeat(JsonObjectScan.MAX_DEPTH + 1) + "]".repeat(JsonObjectScan.MAX_DEPTH + 1) + "}";
        assertThat(JsonObjectScan.isObject(deep)).isFalse();
        assertThat(jackson(deep)).isTrue();
        String longNumber = "{\"a\":" + "1".repeat(JsonObjectScan.MAX_NUMBER_CHARS + 1) + "}";
        assertThat(JsonObjectScan.isObject(longNumber)).isFalse();
    }
}
