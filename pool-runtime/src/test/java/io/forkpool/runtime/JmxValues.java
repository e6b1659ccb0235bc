package io.forkpool.runtime;

import java.util.HashMap;
import java.util.Map;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/** Open-type values read from an MBean, as maps that assertions can compare whole. */
public final class JmxValues {

    private JmxValues() {
    }

    /** @return the rows of a table that JMX made of a {@code Map<String, Long>}, as that map */
    public static Map<String, Long> longsByKey(TabularData table) {
        Map<String, Long> map = new HashMap<>();
        for (Object row : table.values()) {
            CompositeData entry = (CompositeData) row;
            map.put((String) entry.get("key"), (Long) entry.get("value"));
        }
        return map;
    }

    /** @return every item of a composite by its name */
    public static Map<String, Object> items(CompositeData data) {
        Map<String, Object> items = new HashMap<>();
        for (String key : data.getCompositeType().keySet()) {
            items.put(key, data.get(key));
        }
        return items;
    }
}
