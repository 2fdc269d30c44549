package io.metastore.config;

import org.junit.jupiter.api.Test;

import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SettingNamesTest
{
    /**
     * Declares settings the way the node's and the client's Configuration classes do.
     */
    static final class Declared
    {
        public static final String ALARM_PROP_NAME = "metastore.disk.alarm.bytes";
        public static final String RESERVE_PROP_NAME = "metastore.disk.reserve.bytes";
        public static final String NOT_A_SETTING = "metastore.not.a.setting";
        public static final long NUMBER_PROP_NAME = 3;
        public final String instanceField = "metastore.instance";
    }

    @Test
    void shouldCollectOnlyStaticStringConstantsNamedAsSettings()
    {
        assertEquals(
            Set.of("metastore.disk.alarm.bytes", "metastore.disk.reserve.bytes"),
            SettingNames.declaredBy(Declared.class));
    }

    @Test
    void shouldNameAnUnknownPropertyAndTheClosestSetting()
    {
        final Properties properties = new Properties();
        properties.setProperty("metastore.disk.alarm.bytes", "1");
        properties.setProperty("metastore.disk.alarm.byte", "1");
        properties.setProperty("aeron.dir", "/elsewhere");

        assertEquals(
            "unknown setting -Dmetastore.disk.alarm.byte; did you mean metastore.disk.alarm.bytes?",
            SettingNames.findUnknown(properties, SettingNames.PREFIX, SettingNames.declaredBy(Declared.class)));
    }

    @Test
    void shouldCountFurtherUnknownProperties()
    {
        final Properties properties = new Properties();
        properties.setProperty("metastore.disk.reserv.bytes", "1");
        properties.setProperty("metastore.zzz", "1");

        assertEquals(
            "unknown setting -Dmetastore.disk.reserv.bytes; did you mean metastore.disk.reserve.bytes? " +
            "(and 1 more unknown: [metastore.disk.reserv.bytes, metastore.zzz])",
            SettingNames.findUnknown(properties, SettingNames.PREFIX, SettingNames.declaredBy(Declared.class)));
    }

    @Test
    void shouldAcceptKnownPropertiesAndIgnoreOtherPrefixes()
    {
        final Properties properties = new Properties();
        properties.setProperty("metastore.disk.alarm.bytes", "1");
        properties.setProperty("metastore.client.anything", "1");

        assertNull(SettingNames.findUnknown(
            properties, "metastore.disk.", SettingNames.declaredBy(Declared.class)));
    }

    @Test
    void shouldMeasureEditDistance()
    {
        assertEquals(0, SettingNames.editDistance("abc", "abc"));
        assertEquals(1, SettingNames.editDistance("abc", "abcd"));
        assertEquals(1, SettingNames.editDistance("abc", "axc"));
        assertEquals(3, SettingNames.editDistance("", "abc"));
        assertEquals(3, SettingNames.editDistance("kitten", "sitting"));
    }
}
