package io.tagstream.jobs;

import io.tagstream.schemas.TagEvent;
import io.tagstream.schemas.TagKey;
import io.tagstream.schemas.TagStat;
import io.tagstream.sinks.elasticsearch.ElasticsearchSink;
import io.tagstream.sinks.elasticsearch.TagStatDocuments;
import io.tagstream.sinks.postgres.PostgresSinks;
import io.tagstream.udfs.flink.TagWeightFunction;
import io.tagstream.udfs.weights.TagWeighting;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Tag weights on the tag event stream (see {@code docs/weights.md}):
 *
 * <pre>
 * tag events ─► event time ─► tag weights (keyed by tenant/tag) ─┬─► tag_stats (PostgreSQL)
 *                                                                 ├─► tags index (Elasticsearch)
 *                                                                 └─► tag.stats (Kafka, exactly once)
 * </pre>
 */
public final class TagWeights {
    /**
     * The watermark only decides when faded tags leave the state. A subtask without tag events for
     * this long stops holding it back.
     */
    private static final Duration IDLE_AFTER = Duration.ofMinutes(1);

    private TagWeights() {}

    public static DataStream<TagStat> attach(DataStream<TagEvent> tagEvents, TagstreamConfig config) throws IOException {
        DataStream<TagStat> stats = tagEvents
                .assignTimestampsAndWatermarks(WatermarkStrategy.<TagEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, previous) -> e.occurredAt() == null ? previous : e.occurredAt().toEpochMilli())
                        .withIdleness(IDLE_AFTER))
                .uid("tag-weights-event-time")
                .name("tag weights: event time")
                .keyBy(e -> TagKey.of(e.tenant(), e.tag()))
                .process(new TagWeightFunction(weighting(config), config.getLong("weights.emit-interval-ms"),
                        config.getLong("weights.prune-delay-ms")))
                .uid("tag-weights")
                .name("tag weights");

        stats.sinkTo(PostgresSinks.tagStats(config.postgres()))
                .uid("tag-stats-postgres-sink")
                .name("tag_stats (PostgreSQL)");
        stats.sinkTo(ElasticsearchSink.<TagStat>builder()
                        .url(config.get("elasticsearch.url"))
                        .converter(new TagStatDocuments(config.get("elasticsearch.index-prefix") + "tags"))
                        .deadLetters(config.postgres())
                        .build())
                .uid("tags-elasticsearch-sink")
                .name("tags (Elasticsearch)");
        stats.sinkTo(ContractTopics.exactlyOnce(config, config.get("topic.tag-stats"), "stats",
                        (TagStat s) -> TagKey.of(s.tenant(), s.tag())))
                .uid("tag-stats-kafka-sink")
                .name("tag.stats");
        return stats;
    }

    static TagWeighting weighting(TagstreamConfig config) {
        return new TagWeighting(
                config.getLong("weights.half-life-ms"),
                tenantHalfLives(config.get("weights.tenant-half-life-ms")),
                config.getLong("weights.trend-half-life-ms"),
                config.getDouble("weights.floor"));
    }

    /** {@code tenant=ms,tenant=ms}, blanks ignored; empty for none. */
    static Map<String, Long> tenantHalfLives(String spec) {
        Map<String, Long> halfLives = new TreeMap<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.split("=", -1);
            try {
                if (parts.length != 2 || parts[0].isBlank()) {
                    throw new NumberFormatException();
                }
                if (halfLives.put(parts[0].strip(), Long.parseLong(parts[1].strip())) != null) {
                    throw new IllegalArgumentException("configuration key 'weights.tenant-half-life-ms' names tenant '"
                            + parts[0].strip() + "' twice");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("configuration key 'weights.tenant-half-life-ms' must read "
                        + "'tenant=milliseconds,...', was '" + spec + "'");
            }
        }
        return halfLives;
    }
}
