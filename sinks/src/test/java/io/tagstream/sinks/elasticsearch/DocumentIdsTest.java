package io.tagstream.sinks.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.udfs.content.TagChangeSet;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DocumentIdsTest {
    /** The longest tenant the contracts allow: 64 characters. */
    private static final String TENANT = "t".repeat(64);

    @Test
    void anIdThatFitsIsTenantSlashKeyAsBefore() {
        assertThat(DocumentIds.of("acme", "post-1")).isEqualTo("acme/post-1");
        assertThat(DocumentIds.of("acme", "topic::kafka")).isEqualTo("acme/topic::kafka");
        // 5 + 169 * 3 = 512 bytes: the longest Chinese key that still fits
        assertThat(DocumentIds.of("acme", "長".repeat(169))).isEqualTo("acme/" + "長".repeat(169));
    }

    @Test
    void aKeyTooLongForAnIdBecomesTheTenantAndANameBasedUuid() {
        for (String key : List.of("c".repeat(512), "長".repeat(170), "內容".repeat(100), "😀".repeat(512))) {
            String id = DocumentIds.of(TENANT, key);
            assertThat(id).as(key).startsWith(TENANT + "/").hasSize(TENANT.length() + 1 + 36)
                    .isEqualTo(DocumentIds.of(TENANT, key));
            assertThat(id.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(DocumentIds.MAX_BYTES);
        }
        assertThat(DocumentIds.of(TENANT, "c".repeat(512))).isNotEqualTo(DocumentIds.of(TENANT, "c".repeat(511) + "d"));
        // as the tags index hashed long tags before DocumentIds, so their documents keep their ids
        assertThat(DocumentIds.of("acme", "長".repeat(200)))
                .isEqualTo("acme/" + UUID.nameUUIDFromBytes("長".repeat(200).getBytes(StandardCharsets.UTF_8)));
        // the same key of two tenants: two documents
        assertThat(DocumentIds.of("acme", "長".repeat(200))).isNotEqualTo(DocumentIds.of("globex", "長".repeat(200)));
    }

    @Test
    void evenATenantTooLongForThePrefixGivesAnIdThatFits() {
        String tenant = "t".repeat(600);

        String id = DocumentIds.of(tenant, "c");

        assertThat(id).hasSize(36).isEqualTo(DocumentIds.of(tenant, "c")).isNotEqualTo(DocumentIds.of(tenant, "d"));
    }

    @Test
    void bothIndexesAndTheErasureTombstoneUseIt() {
        String contentId = "長".repeat(200);
        TagChangeSet changes = new TagChangeSet(TENANT, contentId, 1, 1, false, Instant.EPOCH, List.of(), List.of(), -1);
        ContentDocuments contents = new ContentDocuments("contents");

        assertThat(contents.apply(changes, null).id()).isEqualTo(DocumentIds.of(TENANT, contentId))
                .isEqualTo(contents.erased(TENANT, contentId, 1, Instant.EPOCH).id());
    }
}
