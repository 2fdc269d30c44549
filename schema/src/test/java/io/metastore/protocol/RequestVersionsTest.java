package io.metastore.protocol;

import io.metastore.codecs.MessageHeaderEncoder;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The table of {@link RequestVersions} against the schema itself: for every request of the log (ids 1-99 but the
 * read port's, 41-59), the highest {@code sinceVersion} of the message, of its fields, groups and data, and of the
 * types they use, down to their choices and values. A field added to a request in a new version, with the table left
 * as it was, fails here.
 */
class RequestVersionsTest
{
    private final Map<String, Element> types = new HashMap<>();

    @Test
    void shouldStampEachRequestOfTheLogWithTheOldestVersionThatReadsItWhole() throws Exception
    {
        final Document schema;
        try (InputStream in = RequestVersionsTest.class.getResourceAsStream("/metastore/metastore-schema.xml"))
        {
            assertNotNull(in, "the schema on the class path");
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            schema = factory.newDocumentBuilder().parse(in);
        }
        final Element root = schema.getDocumentElement();
        assertEquals(MessageHeaderEncoder.SCHEMA_VERSION, Integer.parseInt(root.getAttribute("version")));
        final NodeList typesNodes = root.getElementsByTagName("types");
        for (int i = 0; i < typesNodes.getLength(); i++)
        {
            for (Node type = typesNodes.item(i).getFirstChild(); null != type; type = type.getNextSibling())
            {
                if (type instanceof Element element && element.hasAttribute("name"))
                {
                    types.put(element.getAttribute("name"), element);
                }
            }
        }

        int checked = 0;
        final NodeList messages = root.getElementsByTagNameNS("*", "message");
        for (int i = 0; i < messages.getLength(); i++)
        {
            final Element message = (Element)messages.item(i);
            final int id = Integer.parseInt(message.getAttribute("id"));
            if (id >= 1 && id <= 99 && (id < 41 || id > 59))
            {
                assertEquals(highestSinceVersion(message), RequestVersions.oldestReading(id),
                    message.getAttribute("name"));
                checked++;
            }
        }
        assertTrue(checked >= 13, "requests checked: " + checked);
    }

    @Test
    void shouldStampARequestNotInTheTableWithThisSchemasVersion()
    {
        assertEquals(MessageHeaderEncoder.SCHEMA_VERSION, RequestVersions.oldestReading(41));
    }

    private int highestSinceVersion(final Element element)
    {
        int version = sinceVersion(element);
        final String type = element.getAttribute("type");
        if (!type.isEmpty() && types.containsKey(type))
        {
            version = Math.max(version, highestSinceVersion(types.get(type)));
        }
        for (Node child = element.getFirstChild(); null != child; child = child.getNextSibling())
        {
            if (child instanceof Element childElement)
            {
                version = Math.max(version, highestSinceVersion(childElement));
            }
        }
        return version;
    }

    private static int sinceVersion(final Element element)
    {
        final String since = element.getAttribute("sinceVersion");
        return since.isEmpty() ? 0 : Integer.parseInt(since);
    }
}
