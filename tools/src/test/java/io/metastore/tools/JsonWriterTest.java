package io.metastore.tools;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonWriterTest
{
    @Test
    void shouldSeparateMembersAndElementsWithCommas()
    {
        final String json = new JsonWriter().beginObject()
            .name("a").value(1)
            .name("b").beginArray().value("x").value(true).beginObject().endObject().endArray()
            .name("c").beginObject().name("d").value(false).endObject()
            .endObject()
            .toString();

        assertEquals("{\"a\":1,\"b\":[\"x\",true,{}],\"c\":{\"d\":false}}", json);
    }

    @Test
    void shouldEscapeQuotesBackslashesAndControlCharacters()
    {
        final String awkward = "quote \" backslash \\ newline \n tab \t nul \u0000 bell \u0007 sep \u2028 é 🙂";
        final String json = new JsonWriter().beginObject().name(awkward).value(awkward).endObject().toString();

        assertEquals(Map.of(awkward, awkward), TinyJson.parse(json));
        assertEquals(List.of(), TinyJson.parse(new JsonWriter().beginArray().endArray().toString()));
    }

    @Test
    void shouldWriteNoRawControlCharacters()
    {
        final String json = new JsonWriter().value("a\u0001b\u001fc\rd").toString();

        assertEquals("\"a\\u0001b\\u001fc\\rd\"", json);
    }
}
