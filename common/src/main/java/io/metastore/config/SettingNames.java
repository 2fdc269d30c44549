package io.metastore.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * The names of MetaStore's settings, as declared by the classes that read them, and the check that every
 * {@code -Dmetastore.*} system property names one of them: a misspelt setting is an error naming the closest
 * setting, not silently ignored.
 * <p>
 * A class declares a setting as Aeron's do: a {@code public static final String} constant whose name ends in
 * {@code _PROP_NAME} and whose value is the property name.
 */
public final class SettingNames
{
    /**
     * Prefix of every MetaStore system property.
     */
    public static final String PREFIX = "metastore.";

    private static final String CONSTANT_SUFFIX = "_PROP_NAME";

    private SettingNames()
    {
    }

    /**
     * @param holders classes declaring settings as {@code *_PROP_NAME} constants.
     * @return the property names they declare, sorted.
     */
    public static Set<String> declaredBy(final Class<?>... holders)
    {
        final Set<String> names = new TreeSet<>();
        for (final Class<?> holder : holders)
        {
            for (final Field field : holder.getFields())
            {
                final int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers) &&
                    String.class == field.getType() && field.getName().endsWith(CONSTANT_SUFFIX))
                {
                    try
                    {
                        names.add((String)field.get(null));
                    }
                    catch (final IllegalAccessException ex)
                    {
                        throw new IllegalStateException(ex);
                    }
                }
            }
        }

        return names;
    }

    /**
     * Find the first property under a prefix that no setting knows.
     *
     * @param properties to check, usually {@link System#getProperties()}.
     * @param prefix     of the properties to check, e.g. {@link #PREFIX}.
     * @param known      every setting that may be given under the prefix.
     * @return a message naming the unknown property and the closest known setting, or null if every one is known.
     */
    public static String findUnknown(final Properties properties, final String prefix, final Set<String> known)
    {
        final Set<String> unknown = new TreeSet<>();
        for (final Map.Entry<Object, Object> entry : properties.entrySet())
        {
            if (entry.getKey() instanceof String name && name.startsWith(prefix) && !known.contains(name))
            {
                unknown.add(name);
            }
        }
        if (unknown.isEmpty())
        {
            return null;
        }

        final String name = unknown.iterator().next();
        final String closest = closest(name, known);
        return "unknown setting -D" + name + (null == closest ? "" : "; did you mean " + closest + "?") +
            (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more unknown: " + unknown + ")" : "");
    }

    /**
     * @param name  misspelt.
     * @param known names to choose from.
     * @return the known name at the least edit distance, or null if none is known.
     */
    static String closest(final String name, final Set<String> known)
    {
        String closest = null;
        int closestDistance = Integer.MAX_VALUE;
        for (final String candidate : known)
        {
            final int distance = editDistance(name, candidate);
            if (distance < closestDistance)
            {
                closest = candidate;
                closestDistance = distance;
            }
        }

        return closest;
    }

    /**
     * Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b.
     */
    static int editDistance(final String a, final String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++)
        {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++)
            {
                final int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            final int[] swap = previous;
            previous = current;
            current = swap;
        }

        return previous[b.length()];
    }
}
