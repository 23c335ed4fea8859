package io.tagstream.udfs.tagging.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ItemBudgetTest {

    @Test
    void anAttemptMustFitInTokensAndDollars() {
        ItemBudget budget = new ItemBudget(1_000, 0.001, new LlmPricing(1.0, 2.0)); // $ per million tokens
        assertThat(budget.allows(400, 100)).isTrue();
        budget.spend(400, 50);
        assertThat(budget.tokensSpent()).isEqualTo(450);
        assertThat(budget.usdSpent()).isEqualTo(0.0005);
        assertThat(budget.allows(400, 100)).isFalse();  // $0.0011
        assertThat(budget.allows(200, 100)).isTrue();   // 750 tokens, $0.0009
        assertThat(budget.allows(500, 100)).isFalse();  // 1050 tokens
        budget.spend(400, 100);
        assertThat(budget.allows(1, 1)).isFalse();       // $0.0011 would exceed $0.001
    }

    @Test
    void costIsPerMillionTokens() {
        assertThat(new LlmPricing(0.15, 0.60).costUsd(1_000_000, 500_000)).isEqualTo(0.45);
        assertThat(LlmPricing.estimateTokens("12345678")).isEqualTo(2);
    }
}
