package io.tagstream.sinks.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/** Creates the pipeline's topics that do not exist yet; existing topics are left as they are. */
public final class KafkaTopics {
    private KafkaTopics() {}

    /** @return the topics this call created */
    public static List<String> ensure(
            String bootstrapServers, Map<String, Integer> partitionsByTopic, Consumer<String> progress)
            throws ExecutionException, InterruptedException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Map.Entry<String, Integer> topic : partitionsByTopic.entrySet()) {
                if (!existing.contains(topic.getKey())) {
                    missing.add(new NewTopic(topic.getKey(), topic.getValue(), (short) 1));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            List<String> created = missing.stream().map(NewTopic::name).toList();
            created.forEach(t -> progress.accept("topic " + t + " created"));
            return created;
        }
    }
}
