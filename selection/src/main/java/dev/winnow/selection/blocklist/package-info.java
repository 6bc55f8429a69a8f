/**
 * Blocklists with the user's lists: {@link dev.winnow.selection.blocklist.UrlBlocklist} (rules
 * {@code url_domain}, {@code url_word}, as datatrove's URL filter) and {@link
 * dev.winnow.selection.blocklist.WordBlocklist} (rule {@code blocked_words}, C4's bad-words rule).
 */
package dev.winnow.selection.blocklist;
