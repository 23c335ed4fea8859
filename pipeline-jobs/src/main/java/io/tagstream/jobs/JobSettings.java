package io.tagstream.jobs;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.java.utils.ParameterTool;

/**
 * {@code ./tagstream submit}'s settings file for a job. The job's main method runs on the
 * JobManager, whose environment is the one {@code up} started it with, so the {@code TAGSTREAM_*}
 * variables of the shell that submits would not reach it: this writes the stack's settings with
 * them applied, for the job to read.
 *
 * <p>Arguments: {@code --config STACK_FILE --out FILE}. Secrets are not written: the job reads the
 * database password from {@code postgres.password-file} and an LLM key from the cluster's
 * environment, so one set only in the submitting shell is reported, not carried.
 */
public final class JobSettings {
    private JobSettings() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        Path out = Path.of(params.getRequired("out"));
        Map<String, String> env = System.getenv();
        TagstreamConfig config = TagstreamConfig.load(Path.of(params.getRequired("config")), env);
        config.store(out, "written by ./tagstream submit: the stack's settings and the submitting shell's TAGSTREAM_* variables");
        for (String line : report(config, env)) {
            System.out.println(line);
        }
    }

    /** What the submitting shell changed, and what of it cannot reach the job. */
    static List<String> report(TagstreamConfig config, Map<String, String> env) {
        List<String> lines = new java.util.ArrayList<>();
        List<String> changed = TagstreamConfig.keysSetBy(env);
        if (!changed.isEmpty()) {
            lines.add("settings from this shell for the job: " + String.join(", ",
                    changed.stream().map(key -> key + "=" + config.printable().get(key)).toList()));
        }
        if (env.containsKey(TagstreamConfig.envName("postgres.password"))) {
            lines.add("warning: " + TagstreamConfig.envName("postgres.password") + " in this shell does not reach the job on "
                    + "the cluster; it reads postgres.password-file (" + config.get("postgres.password-file") + ")");
        }
        String keyVariable = config.get("llm.api-key-env");
        if (env.containsKey(keyVariable)) {
            lines.add("warning: " + keyVariable + " in this shell does not reach the job on the cluster; the TaskManager "
                    + "reads it from its own environment (set it before local-cluster/up)");
        }
        return lines;
    }
}
