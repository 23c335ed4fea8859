package io.tagstream.jobs.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.tagstream.schemas.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.test.junit5.MiniClusterExtension;

/**
 * A Flink cluster's REST API, as {@code ./tagstream submit} and the web UI use it: upload the job
 * jar, run it, and read a job's state, restarts, checkpoints and metrics. A session cluster's, or a
 * test's MiniCluster's.
 */
final class FlinkSession {
    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    FlinkSession(String url) {
        this.url = url;
    }

    /** The REST API of a test's MiniCluster. */
    static FlinkSession of(MiniClusterExtension cluster) {
        Configuration client = cluster.getClientConfiguration();
        return new FlinkSession("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT));
    }

    /** A MiniCluster configuration whose REST API reports metrics a second old at most, not ten. */
    static Configuration freshMetrics() {
        Configuration configuration = new Configuration();
        configuration.set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, Duration.ofSeconds(1));
        return configuration;
    }

    /** Uploads {@code jar} and runs {@code entryClass} with {@code args}; returns the job id. */
    String submit(Path jar, String entryClass, List<String> args) throws Exception {
        String boundary = "tagstream-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode upload = send(HttpRequest.newBuilder(URI.create(url + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String uploaded = upload.path("filename").asText();
        String jarId = uploaded.substring(uploaded.lastIndexOf('/') + 1);
        String run = Json.toString(Map.of("entryClass", entryClass, "programArgsList", args));
        JsonNode result = send(HttpRequest.newBuilder(URI.create(url + "/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(run)));
        if (!result.path("jobid").isTextual()) {
            throw new IllegalStateException("Flink did not start the job: " + result);
        }
        return result.get("jobid").asText();
    }

    /** RUNNING, RESTARTING, FAILED, ... */
    String state(String jobId) throws Exception {
        return get("/jobs/" + jobId).path("state").asText();
    }

    /** How often the job restarted since it was submitted. */
    long restarts(String jobId) throws Exception {
        JsonNode metrics = get("/jobs/" + jobId + "/metrics?get=numRestarts");
        return metrics.path(0).path("value").asLong(0);
    }

    long completedCheckpoints(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong(0);
    }

    /** The id of the newest completed checkpoint, or -1. */
    long latestCheckpoint(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed").path("id").asLong(-1);
    }

    /** The id of the checkpoint the job last restored, or -1 when it never restored one. */
    long restoredCheckpoint(String jobId) throws Exception {
        return get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored").path("id").asLong(-1);
    }

    /** True when every task of the job runs (after a restart the job is RUNNING before its tasks are). */
    boolean allTasksRunning(String jobId) throws Exception {
        JsonNode job = get("/jobs/" + jobId);
        if (!job.path("state").asText().equals("RUNNING")) {
            return false;
        }
        for (JsonNode vertex : job.path("vertices")) {
            if (!vertex.path("status").asText().equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /** The largest value of a subtask metric over every subtask of every vertex of the job. */
    double maxSubtaskMetric(String jobId, String metric) throws Exception {
        double max = 0;
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            JsonNode values = get("/jobs/" + jobId + "/vertices/" + vertex.path("id").asText()
                    + "/subtasks/metrics?get=" + metric + "&agg=max");
            max = Math.max(max, values.path(0).path("max").asDouble(0));
        }
        return max;
    }

    /**
     * An operator metric summed over every subtask of every operator of the job that has it (the
     * REST API names operator metrics {@code <operator>.<metric>}).
     */
    long operatorMetricSum(String jobId, String metric) throws Exception {
        long sum = 0;
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            String subtasks = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/subtasks/metrics";
            for (JsonNode available : get(subtasks)) {
                String id = available.path("id").asText();
                if (id.endsWith("." + metric)) {
                    sum += get(subtasks + "?get=" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&agg=sum")
                            .path(0).path("sum").asLong();
                }
            }
        }
        return sum;
    }

    /** {@link #operatorMetricSum} of each metric, by name. */
    Map<String, Long> operatorMetricSums(String jobId, List<String> metrics) throws Exception {
        Map<String, Long> sums = new LinkedHashMap<>();
        for (String metric : metrics) {
            sums.put(metric, operatorMetricSum(jobId, metric));
        }
        return sums;
    }

    void cancel(String jobId) throws Exception {
        send(HttpRequest.newBuilder(URI.create(url + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
    }

    private JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    private JsonNode send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IOException("Flink answered " + response.statusCode() + " to " + response.request().uri()
                    + ": " + response.body());
        }
        return response.body().isEmpty() ? Json.mapper().createObjectNode() : Json.mapper().readTree(response.body());
    }
}
