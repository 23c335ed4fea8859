package io.tagstream.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.jobs.TaxonomyTool;
import io.tagstream.jobs.TagstreamConfig;
import io.tagstream.sinks.postgres.SqlRows;
import io.tagstream.sinks.postgres.TaxonomyStore;
import io.tagstream.udfs.graph.KnowledgeGraph;
import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merge candidates from the real embedding model, written to PostgreSQL for review. */
class MergeCandidatesIT {

    @Test
    void nearSynonymsBecomeCandidatesAndReviewedPairsKeepTheirStatus() throws Exception {
        TagstreamConfig config = LocalStack.isolatedConfig("merge_candidates_it");
        KnowledgeGraph graph = KnowledgeGraph.of(new Taxonomy("tx-mc", List.of(new Dimension("topic", "Topic", null)),
                List.of(tag("topic::kubernetes", "Kubernetes container orchestration"),
                        tag("topic::k8s", "Kubernetes container orchestration platform"),
                        tag("topic::baking", "Baking bread and cakes"))));
        try (Connection c = config.postgres().open()) {
            TaxonomyStore.save(c, graph, "merge-candidates-it");

            TaxonomyTool.mergeCandidates(c, 0.9);
            c.createStatement().execute("UPDATE tag_merge_candidates SET status = 'dismissed'");
            TaxonomyTool.mergeCandidates(c, 0.9);

            assertThat(SqlRows.query(c, "SELECT tag_a, tag_b, status, similarity > 0.9 FROM tag_merge_candidates"))
                    .map(r -> String.join(" ", r))
                    .containsExactly("topic::k8s topic::kubernetes dismissed t");
        }
    }

    private static TaxonomyTag tag(String id, String label) {
        return new TaxonomyTag(id, "topic", label, null, List.of());
    }
}
