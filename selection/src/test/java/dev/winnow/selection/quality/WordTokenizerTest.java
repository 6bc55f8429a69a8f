package dev.winnow.selection.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Token boundaries follow NLTK's word_tokenize on ordinary English (see the class comment for
 * differences).
 */
class WordTokenizerTest {

  @Test
  void splitsPunctuationAndClitics() {
    assertEquals(
        List.of(
            "Do", "n't", "stop", ",", "it", "'s", "3.5", "km", "(", "2,000", "m", ")", "now", "."),
        WordTokenizer.tokenize("Don't stop, it's 3.5 km (2,000 m) now."));
    assertEquals(
        List.of("I", "'m", "sure", "they", "'ll", "say", "we", "'re", "dogs", "'", "friends"),
        WordTokenizer.tokenize("I'm sure they'll say we're dogs' friends"));
  }

  @Test
  void keepsAbbreviationsHyphensAndUrlsTogether() {
    assertEquals(
        List.of("Mr.", "Smith", "of", "the", "U.S.", "is", "well-known", "at", "example.com", "."),
        WordTokenizer.tokenize("Mr. Smith of the U.S. is well-known at example.com."));
  }

  @Test
  void quotesEllipsesAndDashes() {
    assertEquals(
        List.of("\"", "Wait", "...", "\"", "she", "said", "--", "then", "left", "!", "!"),
        WordTokenizer.tokenize("\"Wait...\" she said--then left!!"));
    assertEquals(
        List.of("#", "hashtag", "@", "user", "$", "5", "50", "%"),
        WordTokenizer.tokenize("#hashtag @user $5 50%"));
  }
}
