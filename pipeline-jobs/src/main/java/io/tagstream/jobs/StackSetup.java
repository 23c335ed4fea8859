package io.tagstream.jobs;

import io.tagstream.sinks.elasticsearch.ElasticsearchIndexTemplates;
import io.tagstream.sinks.kafka.KafkaTopics;
import io.tagstream.sinks.postgres.PostgresMigrations;
import io.tagstream.sinks.postgres.TaxonomyStore;
import io.tagstream.udfs.graph.KnowledgeGraph;
import java.sql.Connection;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Prepares the stores for the jobs: Kafka topics, PostgreSQL migrations, Elasticsearch index
 * templates. Idempotent; run by {@code local-cluster/up}, by {@code ./tagstream setup}, and by
 * each job before it starts.
 */
public final class StackSetup {
    private StackSetup() {}

    public static void main(String[] args) throws Exception {
        Path file = args.length == 2 && args[0].equals("--config") ? Path.of(args[1]) : null;
        run(TagstreamConfig.load(file, System.getenv()), line -> System.out.println("setup: " + line));
    }

    public static void run(TagstreamConfig config, Consumer<String> progress) throws Exception {
        int partitions = config.getInt("topic.partitions");
        Map<String, Integer> topics = new LinkedHashMap<>();
        for (String key : new String[] {"topic.content-events", "topic.tag-events", "topic.feedback",
                "topic.tag-stats", "topic.dead-letters", "topic.retag-requests", "topic.suggest-requests",
                "topic.suggest-responses"}) {
            topics.put(config.get(key), partitions);
        }
        // Taxonomy commands must be applied in one order everywhere: a single partition.
        topics.put(config.get("topic.taxonomy-commands"), 1);
        KafkaTopics.ensure(config.get("kafka.bootstrap-servers"), topics, progress);
        PostgresMigrations.apply(config.postgres(), progress);
        try (Connection c = config.postgres().open()) {
            if (TaxonomyStore.load(c).isEmpty()) {
                KnowledgeGraph graph = Taxonomies.fromFileOrBundled(config);
                TaxonomyStore.save(c, graph, config.get("taxonomy.file").isEmpty() ? Taxonomies.BUNDLED : config.get("taxonomy.file"));
                progress.accept("taxonomy " + graph.version() + " stored (" + graph.taxonomy().tags().size() + " tags)");
            }
        }
        ElasticsearchIndexTemplates.apply(
                config.get("elasticsearch.url"), config.get("elasticsearch.index-prefix"), progress);
        progress.accept("Kafka topics, PostgreSQL schema and Elasticsearch templates are ready");
    }
}
