package io.tagstream.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.schemas.SuggestAction;
import io.tagstream.schemas.SuggestRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How a line typed at {@code tagstream suggest} becomes the next turn. */
class SuggestToolTest {
    private static final Instant T = Instant.parse("2026-11-21T10:00:00Z");

    @Test
    void aNumberChoosesAndWhatFollowsRefines() {
        assertThat(SuggestTool.next("r", "s", "acme", "2", T))
                .isEqualTo(new SuggestRequest("r", "s", "acme", SuggestAction.CONTINUE, null, 2, false, T));
        assertThat(SuggestTool.next("r", "s", "acme", "3 更多月光, no smile", T))
                .isEqualTo(new SuggestRequest("r", "s", "acme", SuggestAction.CONTINUE, "更多月光, no smile", 3, false, T));
    }

    @Test
    void doneFinishesAndOtherTextClarifiesOrRefines() {
        assertThat(SuggestTool.next("r", "s", "acme", "DONE", T))
                .isEqualTo(new SuggestRequest("r", "s", "acme", SuggestAction.CONTINUE, null, null, true, T));
        assertThat(SuggestTool.next("r", "s", "acme", "在湖畔, 月光", T))
                .isEqualTo(new SuggestRequest("r", "s", "acme", SuggestAction.CONTINUE, "在湖畔, 月光", null, false, T));
    }
}
