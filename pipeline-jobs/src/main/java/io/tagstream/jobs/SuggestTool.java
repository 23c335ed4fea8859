package io.tagstream.jobs;

import io.tagstream.schemas.SessionPhase;
import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestDirection;
import io.tagstream.schemas.SuggestRequest;
import io.tagstream.schemas.SuggestResponse;
import io.tagstream.schemas.SuggestedTag;
import io.tagstream.schemas.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code tagstream suggest TEXT [--choose N] [--tenant T] [--session ID] [--wait-seconds S]}: one
 * tag-suggestion session against the running suggestion job, over {@code suggest.requests} and
 * {@code suggest.responses}. It shows the directions and reads the next turn from standard input:
 * a number chooses a direction (and may be followed by a refinement: {@code 2 更多月光}), {@code done}
 * finishes, other text clarifies or refines, an empty line ends. {@code --choose N} answers the
 * first directions with N and finishes, for scripts.
 *
 * <p>Exit codes: 0 completed, 2 aborted or refused, 3 left open (input ended), 1 no answer in time.
 */
public final class SuggestTool {
    /** Kafka's default bound; a turn is a line of text. */
    private static final int REQUEST_BYTES = 1024 * 1024;

    private static final Pattern CHOICE = Pattern.compile("^\\s*(\\d+)\\s*(.*)$", Pattern.DOTALL);

    private final TagstreamConfig config;
    private final PrintStream out;
    private final Duration wait;

    public SuggestTool(TagstreamConfig config, PrintStream out, Duration wait) {
        this.config = config;
        this.out = out;
        this.wait = wait;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                words.add(args[i]);
            }
        }
        if (words.isEmpty()) {
            System.err.println("usage: tagstream suggest TEXT [--choose N] [--tenant T] [--session ID] [--wait-seconds S]");
            System.exit(64);
        }
        TagstreamConfig config = TagstreamConfig.load(
                options.containsKey("config") ? Path.of(options.get("config")) : null, System.getenv());
        SuggestTool tool = new SuggestTool(config, System.out,
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("wait-seconds", "60"))));
        Integer choose = options.containsKey("choose") ? Integer.valueOf(options.get("choose")) : null;
        System.exit(tool.run(String.join(" ", words), options.getOrDefault("tenant", "default"),
                options.getOrDefault("session", "cli-" + UUID.randomUUID()), choose,
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))));
    }

    /** Runs one session to its end or until the input ends; returns the exit code. */
    public int run(String idea, String tenant, String sessionId, Integer choose, BufferedReader in) throws IOException {
        try (KafkaProducer<byte[], byte[]> producer = ContractTopics.producer(config, REQUEST_BYTES);
                KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            int sent = 0;
            SuggestRequest request = new SuggestRequest(sessionId + "-" + ++sent, sessionId, tenant, SuggestAction.START,
                    idea, null, false, Instant.now(Clock.systemUTC()));
            boolean chosen = false;
            while (true) {
                send(producer, request);
                SuggestResponse response = await(consumer, request);
                if (response == null) {
                    out.println("no answer from the suggestion job within " + wait.toSeconds() + " s: is it running? "
                            + "(./tagstream submit-suggest)");
                    return 1;
                }
                show(response);
                if (response.phase() == SessionPhase.COMPLETED) {
                    return 0;
                }
                if (response.phase() == SessionPhase.ABORTED) {
                    return 2;
                }
                Instant now = Instant.now(Clock.systemUTC());
                String id = sessionId + "-" + ++sent;
                if (choose != null && !chosen && response.phase() != SessionPhase.UNDERSTANDING) {
                    chosen = true;
                    request = new SuggestRequest(id, sessionId, tenant, SuggestAction.CONTINUE, null, choose, true, now);
                    continue;
                }
                if (choose != null) {
                    return 3;
                }
                out.print(response.phase() == SessionPhase.UNDERSTANDING
                        ? "clarify> " : "choose 1-" + response.directions().size() + " (then text to refine), text, or done> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.isBlank()) {
                    out.println("session " + sessionId + " left " + response.phase().wireName());
                    return 3;
                }
                request = next(id, sessionId, tenant, line.strip(), now);
            }
        }
    }

    static SuggestRequest next(String requestId, String sessionId, String tenant, String line, Instant now) {
        if (line.equalsIgnoreCase("done")) {
            return new SuggestRequest(requestId, sessionId, tenant, SuggestAction.CONTINUE, null, null, true, now);
        }
        Matcher choice = CHOICE.matcher(line);
        if (choice.matches()) {
            String refinement = choice.group(2).isBlank() ? null : choice.group(2).strip();
            return new SuggestRequest(requestId, sessionId, tenant, SuggestAction.CONTINUE, refinement,
                    Integer.valueOf(choice.group(1)), false, now);
        }
        return new SuggestRequest(requestId, sessionId, tenant, SuggestAction.CONTINUE, line, null, false, now);
    }

    private void show(SuggestResponse r) {
        out.println("[" + r.phase().wireName() + "] turn " + r.turn() + ": " + r.message());
        r.questions().forEach(q -> out.println("  ? " + q));
        if (r.result() == null && !r.phase().over()) {
            for (int i = 0; i < r.directions().size(); i++) {
                show((i + 1) + ". ", r.directions().get(i));
            }
        }
        if (r.result() != null) {
            show(r.phase() == SessionPhase.COMPLETED ? "result: " : r.phase() == SessionPhase.ABORTED ? "best so far: " : "now: ",
                    r.result());
        }
        if (r.abortReason() != null) {
            out.println("  reason: " + r.abortReason());
        }
        out.printf(java.util.Locale.ROOT, "  cost $%.6f, tokens %d in / %d out, tool calls %s%n", r.cost(), r.inputTokens(),
                r.outputTokens(), r.toolCalls());
    }

    private void show(String prefix, SuggestDirection d) {
        out.println("  " + prefix + d.title() + "  (score " + d.qualityScore() + (d.valid() ? "" : ", not valid") + ", "
                + d.tags().size() + " tags)");
        Map<String, List<String>> byDimension = new LinkedHashMap<>();
        for (SuggestedTag t : d.tags()) {
            byDimension.computeIfAbsent(t.dimension(), k -> new ArrayList<>()).add(t.label());
        }
        byDimension.forEach((dimension, labels) -> out.println("      " + dimension + ": " + String.join(", ", labels)));
    }

    private void send(KafkaProducer<byte[], byte[]> producer, SuggestRequest request) {
        try {
            producer.send(new ProducerRecord<>(config.get("topic.suggest-requests"),
                    request.sessionId().getBytes(StandardCharsets.UTF_8), Json.toBytes(request))).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + request.requestId(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot send " + request.requestId() + " to "
                    + config.get("topic.suggest-requests") + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The answer to this request (or the session's abort), committed on suggest.responses. */
    private SuggestResponse await(KafkaConsumer<byte[], byte[]> consumer, SuggestRequest request) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                SuggestResponse response = Json.fromBytes(record.value(), SuggestResponse.class);
                if (response.sessionId().equals(request.sessionId())
                        && (request.requestId().equals(response.requestId()) || response.phase() == SessionPhase.ABORTED)) {
                    return response;
                }
            }
        }
        return null;
    }

    /** Reads only what arrives from now on: every partition, positioned at its end, committed records only. */
    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap-servers"));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(config.get("topic.suggest-responses")).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }
}
