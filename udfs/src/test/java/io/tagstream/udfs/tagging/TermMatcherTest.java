package io.tagstream.udfs.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.udfs.tagging.TermMatcher.Match;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TermMatcherTest {

    @Test
    void findsTheClassicOverlappingTermsInScriptWithoutWordBoundaries() {
        // "he", "she", "hers" in "ushers", spelled in Han characters: u=大 s=中 h=文 e=字 r=典
        TermMatcher<String> matcher = matcher("文字", "中文字", "文字典中");

        assertThat(matcher.find("大中文字典中")).containsExactly(
                match(1, 4, "中文字"),
                match(2, 4, "文字"),
                match(2, 6, "文字典中"));
    }

    @Test
    void findsNoClassicTermInsideALatinWord() {
        TermMatcher<String> matcher = matcher("he", "she", "his", "hers");

        assertThat(matcher.find("ushers")).isEmpty();
    }

    @Test
    void findsTheClassicTermsWhereTheyAreWholeWords() {
        TermMatcher<String> matcher = matcher("he", "she", "his", "hers");

        assertThat(matcher.find("she said: hers, his. he")).containsExactly(
                match(0, 3, "she"),
                match(10, 14, "hers"),
                match(16, 19, "his"),
                match(21, 23, "he"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"good", "ago", "gone", "go2", "2go", "ergo", "gogo", "goö", "дgo"})
    void latinTermsDoNotMatchInsideWords(String text) {
        assertThat(matcher("go").find(text)).isEmpty();
    }

    @Test
    void latinTermsMatchAsWholeWords() {
        TermMatcher<String> matcher = matcher("go");

        assertThat(matcher.find("go, now")).containsExactly(match(0, 2, "go"));
        assertThat(matcher.find("let's go")).containsExactly(match(6, 8, "go"));
        assertThat(matcher.find("(go)")).containsExactly(match(1, 3, "go"));
        assertThat(matcher.find("go-go")).containsExactly(match(0, 2, "go"), match(3, 5, "go"));
        assertThat(matcher.find("go")).containsExactly(match(0, 2, "go"));
    }

    @Test
    void findsAMultiWordTermAndTheWordInsideIt() {
        TermMatcher<String> matcher = matcher("apache flink", "flink");

        assertThat(matcher.find("on apache flink.")).containsExactly(
                match(3, 15, "apache flink"),
                match(10, 15, "flink"));
    }

    @Test
    void findsChineseTermsAnywhereInASentence() {
        TermMatcher<String> matcher = matcher("流處理");

        assertThat(matcher.find("我們使用流處理框架")).containsExactly(match(4, 7, "流處理"));
    }

    @Test
    void findsJapaneseTermsAnywhereInASentence() {
        TermMatcher<String> matcher = matcher("カフカ", "処理");

        assertThat(matcher.find("カフカでストリーム処理する")).containsExactly(
                match(0, 3, "カフカ"),
                match(9, 11, "処理"));
    }

    @Test
    void findsLatinTermsBetweenHanCharactersAndHanTermsBesideLatinWords() {
        TermMatcher<String> matcher = matcher("flink", "流處理");

        assertThat(matcher.find("用flink做流處理")).containsExactly(
                match(1, 6, "flink"),
                match(7, 10, "流處理"));
        assertThat(matcher.find("apache流處理engine")).containsExactly(match(6, 9, "流處理"));
        assertThat(matcher.find("pyflink流處理")).containsExactly(match(7, 10, "流處理"));
    }

    /**
     * The prolonged sound mark ー ends many katakana words (サーバー, データー, ユーザー). It
     * belongs to Japanese writing, so a term ending in it must match wherever it is written,
     * also right before a digit or a Latin letter ("サーバー2台", "ユーザーID").
     */
    @Test
    void findsKatakanaTermsEndingInTheProlongedSoundMarkBeforeDigitsAndLatinLetters() {
        TermMatcher<String> matcher = matcher("サーバー", "ユーザー");

        assertThat(matcher.find("サーバー2台")).containsExactly(match(0, 4, "サーバー"));
        assertThat(matcher.find("ユーザーidを確認")).containsExactly(match(0, 4, "ユーザー"));
    }

    @Test
    void carriesEachTermsPayloadAndKeepsTermsOfTheSameText() {
        TermMatcher<Integer> matcher = new TermMatcher<>(List.of(
                Map.entry("kafka", 1), Map.entry("kafka", 2), Map.entry("flink", 3)));

        assertThat(matcher.find("kafka flink")).containsExactly(
                new Match<>(0, 5, "kafka", 1),
                new Match<>(0, 5, "kafka", 2),
                new Match<>(6, 11, "flink", 3));
    }

    @Test
    void ignoresEmptyTermsAndFindsNothingInEmptyText() {
        TermMatcher<String> matcher = matcher("", "kafka");

        assertThat(matcher.find("")).isEmpty();
        assertThat(matcher.find("kafka")).containsExactly(match(0, 5, "kafka"));
        assertThat(matcher(new String[0]).find("anything")).isEmpty();
    }

    @Test
    void reportsMatchesInOrderOfTheirEnd() {
        TermMatcher<String> matcher = matcher("b c d", "a b", "c");

        assertThat(matcher.find("a b c d")).extracting(Match::end).containsExactly(3, 5, 7);
    }

    @Test
    void treatsLettersAndDigitsOfSpacedScriptsAsWordCharacters() {
        assertThat(TermMatcher.isWordChar('a')).isTrue();
        assertThat(TermMatcher.isWordChar('7')).isTrue();
        assertThat(TermMatcher.isWordChar('é')).isTrue();
        assertThat(TermMatcher.isWordChar('я')).isTrue();
        assertThat(TermMatcher.isWordChar('-')).isFalse();
        assertThat(TermMatcher.isWordChar(' ')).isFalse();
        assertThat(TermMatcher.isWordChar('流')).isFalse();
        assertThat(TermMatcher.isWordChar('の')).isFalse();
        assertThat(TermMatcher.isWordChar('カ')).isFalse();
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** A matcher whose payload is the term itself. */
    private static TermMatcher<String> matcher(String... terms) {
        List<Map.Entry<String, String>> entries = new ArrayList<>();
        for (String term : terms) {
            entries.add(Map.entry(term, term));
        }
        return new TermMatcher<>(entries);
    }

    private static Match<String> match(int start, int end, String term) {
        return new Match<>(start, end, term, term);
    }
}
