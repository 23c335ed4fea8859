package org.apache.flink.statefun.flink.core;

import java.lang.reflect.Field;
import org.apache.flink.util.InstantiationUtil;

/**
 * Tagstream's one compatibility change to Stateful Functions 3.3.0, which was built for Flink 1.16:
 * this class replaces statefun-flink-core's class of the same name (the job jar leaves the original
 * out; on a test classpath this module's classes come first).
 *
 * <p>The original asks {@link StatefulFunctionsConfig#getProvider(ClassLoader)} for the universe
 * provider, and that calls {@code InstantiationUtil.deserializeObject(byte[], ClassLoader,
 * boolean)}, which Flink 1.20 no longer has: every Stateful Functions operator would fail to open
 * with a {@link NoSuchMethodError}. Here the provider's bytes, which the configuration keeps in its
 * private field {@value #PROVIDER_BYTES_FIELD}, are read with Flink 1.20's two-argument
 * {@link InstantiationUtil#deserializeObject(byte[], ClassLoader)}. Everything else is as in 3.3.0.
 *
 * <p>{@code StatefunCompatibilityTest} fails if this class stops being the one that is loaded, or
 * if the field or the Flink method it relies on changes.
 */
public final class StatefulFunctionsUniverses {
    static final String PROVIDER_BYTES_FIELD = "universeInitializerClassBytes";

    private StatefulFunctionsUniverses() {}

    public static StatefulFunctionsUniverse get(ClassLoader classLoader, StatefulFunctionsConfig configuration) {
        if (classLoader == null) {
            throw new IllegalStateException("The class loader was not set.");
        }
        if (configuration == null) {
            throw new IllegalStateException("The configuration was not set.");
        }
        return provider(classLoader, configuration).get(classLoader, configuration);
    }

    /** The provider that {@link StatefulFunctionsConfig#setProvider} stored, read the Flink 1.20 way. */
    public static StatefulFunctionsUniverseProvider provider(ClassLoader classLoader, StatefulFunctionsConfig configuration) {
        try {
            Field field = StatefulFunctionsConfig.class.getDeclaredField(PROVIDER_BYTES_FIELD);
            field.setAccessible(true);
            byte[] bytes = (byte[]) field.get(configuration);
            if (bytes == null) {
                throw new IllegalStateException("No universe provider was set on the Stateful Functions configuration.");
            }
            return InstantiationUtil.deserializeObject(bytes, classLoader);
        } catch (ReflectiveOperationException | java.io.IOException e) {
            throw new IllegalStateException("Unable to initialize.", e);
        }
    }
}
