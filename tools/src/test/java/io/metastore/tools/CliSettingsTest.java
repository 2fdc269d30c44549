package io.metastore.tools;

import io.metastore.client.MetaStoreClient;
import io.metastore.concurrent.TimerSlackIdleStrategy;
import io.metastore.node.MetaStoreNode;
import io.metastore.node.storage.RocksDbStorage;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CliSettingsTest
{
    @Test
    void shouldRefuseAMisspeltSettingNamingTheClosest()
    {
        final Properties properties = new Properties();
        properties.setProperty("metastore.endpoint", "localhost:21000");

        assertEquals(
            "unknown setting -Dmetastore.endpoint; did you mean " +
            MetaStoreClient.Configuration.ENDPOINTS_PROP_NAME + "?",
            MetaStoreCli.unknownSetting(properties));
    }

    @Test
    void shouldKnowTheSettingsOfTheNodeItsStorageTheClientAndTheIdleStrategy()
    {
        final Properties properties = new Properties();
        properties.setProperty(MetaStoreNode.Configuration.DISK_ALARM_BYTES_PROP_NAME, "0");
        properties.setProperty(MetaStoreClient.Configuration.ENDPOINTS_PROP_NAME, "localhost:21000");
        properties.setProperty(MetaStoreClient.Configuration.REQUEST_TIMEOUT_MS_PROP_NAME, "1000");
        properties.setProperty(TimerSlackIdleStrategy.TIMER_SLACK_NS_PROP_NAME, "10000");
        properties.setProperty(RocksDbStorage.LOW_PRIORITY_COMPACTIONS_PROP_NAME, "false");
        properties.setProperty("aeron.dir", "/dev/shm/elsewhere");

        assertNull(MetaStoreCli.unknownSetting(properties));
    }
}
