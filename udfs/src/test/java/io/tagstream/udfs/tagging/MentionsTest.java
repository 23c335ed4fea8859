package io.tagstream.udfs.tagging;

import static org.assertj.core.api.Assertions.assertThat;

import io.tagstream.udfs.taxonomy.Dimension;
import io.tagstream.udfs.taxonomy.Taxonomy;
import io.tagstream.udfs.taxonomy.TaxonomyTag;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MentionsTest {
    private static final Taxonomy TAXONOMY = new Taxonomy("tx-mentions",
            List.of(new Dimension("devel", "Software Development", null), new Dimension("interface", "User Interface", null),
                    new Dimension("format", "Supports Format", null), new Dimension("uitoolkit", "Interface Toolkit", null)),
            List.of(tag("devel::lang:perl", "devel", "Perl Development"),
                    tag("devel::library", "devel", "Libraries"),
                    tag("interface::graphical", "interface", "Graphical User Interface"),
                    tag("format::html", "format", "HTML, Hypertext Markup Language"),
                    tag("format::ocr", "format", "Text Recognition (OCR)"),
                    tag("uitoolkit::motif", "uitoolkit", "Lesstif/Motif"),
                    tag("uitoolkit::ncurses", "uitoolkit", "Ncurses TUI"),
                    new TaxonomyTag("kafka", "devel", "Apache Kafka", null, List.of("卡夫卡"))));

    @Test
    void aLabelWithoutTheWordsItSharesWithItsDimension() {
        assertThat(forms("devel::lang:perl")).containsExactly("perl development", "perl");
        assertThat(forms("interface::graphical")).containsExactly("graphical user interface", "graphical");
    }

    @Test
    void thePartsOfALabel() {
        assertThat(forms("format::html")).containsExactly("html, hypertext markup language", "html", "hypertext markup language");
        assertThat(forms("format::ocr")).containsExactly("text recognition (ocr)", "text recognition", "ocr");
        assertThat(forms("uitoolkit::motif")).containsExactly("lesstif motif", "lesstif", "motif");
    }

    @Test
    void theLastSegmentOfTheIdAndTheAliases() {
        assertThat(forms("uitoolkit::ncurses")).containsExactly("ncurse tui", "ncurse");
        assertThat(forms("kafka")).containsExactly("apache kafka", "卡夫卡", "kafka");
        assertThat(forms("devel::library")).containsExactly("library");
    }

    @Test
    void foldsSeparatorsSpacesAndPluralsButLeavesOtherScriptsAlone() {
        assertThat(Mentions.fold("  Command-line\ttools_for  Ｌｉｂｒａｒｉｅｓ ")).isEqualTo("command line tool for library");
        assertThat(Mentions.fold("C++ and C# bindings")).isEqualTo("c++ and c# binding");
        assertThat(Mentions.fold("流處理 / 卡夫卡")).isEqualTo("流處理 卡夫卡");
    }

    @ParameterizedTest
    @CsvSource({"libraries, library", "files, file", "boxes, boxe", "utilities, utility", "series, sery", "stuss, stuss",
            "status, status", "aies, aie", "goes, goe", "glass, glass", "is, is", "gtk, gtk", "games, game"})
    void pluralsFoldByTheSStemmer(String word, String singular) {
        assertThat(Mentions.singular(word)).isEqualTo(singular);
    }

    private static Set<String> forms(String id) {
        return Mentions.of(TAXONOMY, TAXONOMY.tag(id).orElseThrow());
    }

    private static TaxonomyTag tag(String id, String dimension, String label) {
        return new TaxonomyTag(id, dimension, label, null, List.of());
    }
}
