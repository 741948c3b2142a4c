"""Prose for the bench corpora whose word statistics are those of English fiction (issue 16).

The words are real English: wordfreq's large English list (word frequencies measured over books,
subtitles, news and the web; Apache-2.0 code, CC-BY-SA data, read from the installed package,
never fetched). Chosen over NLTK's Gutenberg corpus, which is a separate download at run time.

How a story's text is drawn, and why:
- The commonest words (`HEAD` ranks: articles, pronouns, common verbs and nouns) are drawn
  independently with their real frequencies, so the head of the rank/frequency curve is English
  and follows Zipf's law with exponent about 1.
- The rest of the vocabulary (the rarer 17 % of running words in English) comes from the
  story's own lexicon: its names, places and objects, used again and again as fiction does.
  The lexicon is drawn from the English tail by frequency and grows with the square root of the
  story's length, so a story's vocabulary grows as Heaps' law says (V = K n^β with β about 0.5
  to 0.6; two real fan works measured 0.56 and 0.63), not linearly as independent draws from
  the whole list would make it (β 0.64 and twice the distinct words of a real work of that length).
- Every sentence is drawn afresh: none is repeated more than chance repeats it.
`tests/bench/test_prose.py` fits the Zipf exponent and Heaps β on generated text and counts
repeated sentences.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

HEAD = 3000  # ranks drawn with their own frequencies; the rest only through a story's lexicon
LEXICON_K = 8.0  # a story's lexicon holds K * (words so far + LEXICON_START) ** LEXICON_BETA words
LEXICON_BETA = 0.5
LEXICON_START = 1000
LEXICON_ZIPF = 0.9  # how unevenly a story uses its own words: the first ones most
PARAGRAPH_END = 0.22  # share of sentences that close their paragraph
DIALOGUE = 0.15  # share of sentences spoken by a named character
SENTENCE_WORDS = (4, 24)


@dataclass(frozen=True)
class EnglishWords:
    """Alphabetic English words, commonest first, with cumulative frequencies for drawing."""

    words: list[str]
    head_cumulative: list[float]
    tail: list[str]
    tail_cumulative: list[float]
    tail_share: float  # the share of running words that fall past the head


def _is_word(word: str) -> bool:
    """Letters only, and a vowel in any word of two or more: the web's 'ufj' and 'tv' are not prose."""
    if not (word.isascii() and word.isalpha()):
        return False
    if len(word) == 1:
        return word in "ai"
    return any(vowel in word for vowel in "aeiouy")


@functools.cache
def english(head: int = HEAD) -> EnglishWords:
    from wordfreq import get_frequency_dict  # loaded once: 0.2 s for 290,000 words

    frequencies = get_frequency_dict("en", wordlist="large")
    ranked = sorted(
        ((w, f) for w, f in frequencies.items() if _is_word(w)),
        key=lambda pair: (-pair[1], pair[0]),
    )
    words = [w for w, _ in ranked]
    weights = [f for _, f in ranked]
    return EnglishWords(
        words=words,
        head_cumulative=list(itertools.accumulate(weights[:head])),
        tail=words[head:],
        tail_cumulative=list(itertools.accumulate(weights[head:])),
        tail_share=sum(weights[head:]) / sum(weights),
    )


class StoryProse:
    """One story's prose: English head words plus the story's own growing lexicon.

    Keep one per work (its lexicon is what makes the work's words recur); `names` are the
    work's characters, who speak some of the sentences."""

    def __init__(self, rnd: random.Random, names: Sequence[str] = (), words: EnglishWords | None = None):
        self.random = rnd
        self.english = words or english()
        self.head = self.english.words[:HEAD]
        self.names = list(names)
        self.lexicon: list[str] = []
        self._in_lexicon: set[str] = set()
        self._lexicon_cumulative: list[float] = []
        self.written = 0

    def _grow_lexicon(self, words: int) -> None:
        self.written += words
        wanted = int(LEXICON_K * (self.written + LEXICON_START) ** LEXICON_BETA)
        while len(self.lexicon) < wanted:
            for word in self.random.choices(
                self.english.tail, cum_weights=self.english.tail_cumulative, k=wanted - len(self.lexicon)
            ):
                if word not in self._in_lexicon:
                    self._in_lexicon.add(word)
                    self.lexicon.append(word)
        # The weights of words already in the lexicon never change: only the new ones are added.
        cumulative = self._lexicon_cumulative
        total = cumulative[-1] if cumulative else 0.0
        for rank in range(len(cumulative), len(self.lexicon)):
            total += 1.0 / (rank + 1) ** LEXICON_ZIPF
            cumulative.append(total)

    def tokens(self, count: int) -> list[str]:
        """`count` running words, lower case, in one draw (fast: two C-level draws and a scatter)."""
        rnd = self.random
        self._grow_lexicon(count)
        tokens = rnd.choices(self.head, cum_weights=self.english.head_cumulative, k=count)
        rare = int(count * self.english.tail_share + rnd.random())
        if rare and self.lexicon:
            drawn = rnd.choices(self.lexicon, cum_weights=self._lexicon_cumulative, k=rare)
            for position, word in zip(rnd.sample(range(count), rare), drawn, strict=True):
                tokens[position] = word
        return tokens

    def _sentence(self, words: list[str]) -> tuple[str, int]:
        """A sentence of `words` and how many words it holds (a speaker's name adds some)."""
        rnd = self.random
        if len(words) > 8 and rnd.random() < 0.4:
            comma = rnd.randrange(2, len(words) - 2)
            words[comma] += ","
        text = " ".join(words)
        if "i" in words:
            text = f" {text} ".replace(" i ", " I ").replace(" i, ", " I, ")[1:-1]
        text = text[0].upper() + text[1:]
        if self.names and rnd.random() < DIALOGUE:
            name = rnd.choice(self.names)
            return f"“{text},” {name} said.", len(words) + name.count(" ") + 2
        return text + rnd.choice(".....?!"), len(words)

    def sentence(self) -> str:
        return self._sentence(self.tokens(self.random.randint(*SENTENCE_WORDS)))[0]

    def text(self, words: int) -> tuple[str, int]:
        """Paragraphs (blank-line separated) of about `words` words, and their exact word count."""
        rnd = self.random
        tokens = self.tokens(max(1, words))
        low, high = SENTENCE_WORDS
        parts: list[str] = []
        counted = start = 0
        while start < len(tokens):
            end = min(len(tokens), start + rnd.randint(low, high))
            sentence, length = self._sentence(tokens[start:end])
            counted += length
            start = end
            parts.append(sentence)
            parts.append("\n\n" if rnd.random() < PARAGRAPH_END else " ")
        return "".join(parts[:-1]), counted
