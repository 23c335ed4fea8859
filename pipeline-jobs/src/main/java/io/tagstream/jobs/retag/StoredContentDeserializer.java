package io.tagstream.jobs.retag;

import io.tagstream.schemas.ContentEventReader;
import io.tagstream.schemas.IngestLimits;
import io.tagstream.schemas.InvalidRecordException;
import io.tagstream.udfs.content.RetagInput;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads {@code content.events} for the re-tag job: each valid content event with its partition and
 * offset. Records that are not valid content events were dead-lettered by the tagging job when it
 * read them; here they are only counted ({@code unreadableRecords}).
 */
public final class StoredContentDeserializer implements KafkaRecordDeserializationSchema<RetagInput> {
    private static final long serialVersionUID = 1L;

    private final ContentEventReader reader;
    private transient Counter unreadable;

    public StoredContentDeserializer(IngestLimits limits) {
        this.reader = new ContentEventReader(limits);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        unreadable = context.getMetricGroup().counter("unreadableRecords");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RetagInput> out) {
        try {
            out.collect(RetagInput.stored(reader.read(record.value()), record.partition(), record.offset()));
        } catch (InvalidRecordException | RuntimeException e) {
            if (unreadable != null) {
                unreadable.inc();
            }
        }
    }

    @Override
    public TypeInformation<RetagInput> getProducedType() {
        return TypeInformation.of(RetagInput.class);
    }
}
