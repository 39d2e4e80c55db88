"""Seeded prose generator: titles, headings, paragraphs, takeaways and comments.

All functions take a ``random.Random`` and a per-article :class:`Focus` (the
handful of topics, places and organisations one article is about), so an
article reads as being about something rather than a random word salad.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from . import vocab

_SLOT = re.compile(r"\{(\w+)\}")
_SMALL = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "of", "on", "or",
          "the", "to", "with", "over", "into", "via", "vs"}


def title_case(text: str) -> str:
    words = text.split(" ")
    out = []
    for i, word in enumerate(words):
        if i > 0 and word in _SMALL:
            out.append(word)
        else:
            out.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(out)


def capitalize(text: str) -> str:
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:]
    return text


def slugify(text: str) -> str:
    text = text.lower().replace("’", "").replace("'", "").replace("&", " ")
    for src, dst in (("á", "a"), ("é", "e"), ("í", "i"), ("ó", "o"), ("ú", "u"), ("ã", "a"),
                     ("ç", "c"), ("ñ", "n"), ("ö", "o"), ("ü", "u"), ("è", "e")):
        text = text.replace(src, dst)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


@dataclass
class Focus:
    """What one article is about: a few picks from its category's lexicon."""
    category: str
    topics: list
    places: list
    orgs: list
    actors: list
    audiences: list


def make_focus(rng: random.Random, category: str) -> Focus:
    lex = vocab.LEXICON[category]
    return Focus(
        category=category,
        topics=rng.sample(lex["topics"], 4),
        places=rng.sample(lex["places"], 3),
        orgs=rng.sample(lex["orgs"], 2),
        actors=rng.sample(lex["actors"], 4),
        audiences=rng.sample(lex["audiences"], 2),
    )


class Filler:
    """Fills ``{slot}`` templates for one article, preferring its focus."""

    def __init__(self, rng: random.Random, focus: Focus):
        self.rng = rng
        self.focus = focus
        self.lex = vocab.LEXICON[focus.category]

    def _pick(self, own: list, pool: list, exclude=()):
        rng = self.rng
        for _ in range(6):
            value = rng.choice(own) if rng.random() < 0.85 else rng.choice(pool)
            if value not in exclude:
                return value
        return next((v for v in pool if v not in exclude), pool[0])

    def fill(self, template: str, **fixed: str) -> str:
        chosen: dict = dict(fixed)
        f, lex, rng = self.focus, self.lex, self.rng

        def value(name: str) -> str:
            if name in chosen:
                return chosen[name]
            base = name.lower().replace("_t", "")
            if base == "actor":
                v = self._pick(f.actors, lex["actors"])
            elif base == "topic":
                v = self._pick(f.topics[:2], f.topics)
            elif base == "topic2":
                v = self._pick(f.topics[1:], lex["topics"], exclude=(chosen.get("topic"), chosen.get("Topic")))
            elif base == "place":
                v = self._pick(f.places, lex["places"])
            elif base == "place2":
                v = self._pick(f.places, lex["places"], exclude=(chosen.get("place"),))
            elif base == "org":
                v = self._pick(f.orgs, lex["orgs"])
            elif base == "audience":
                v = self._pick(f.audiences, lex["audiences"])
            elif base == "adj":
                v = rng.choice(vocab.ADJECTIVES)
            elif base in ("noun", "noun2"):
                v = rng.choice([n for n in vocab.ABSTRACT_NOUNS if n != chosen.get("noun")])
            elif base == "past":
                v = rng.choice(vocab.PAST_PHRASES)
            elif base == "future":
                v = rng.choice(vocab.FUTURE_PHRASES)
            elif base == "span":
                v = rng.choice(vocab.SPAN_PHRASES)
            elif base == "recent":
                v = rng.choice(vocab.RECENT_PHRASES)
            elif base == "num":
                v = str(rng.choice([2, 3, 4, 6, 8, 10, 12, 18, 24]))
            elif base == "num_w":
                v = rng.choice(vocab.NUM_WORDS)
            elif base == "pct":
                v = str(rng.randint(12, 71))
            elif base == "hedge":
                v = rng.choice(vocab.HEDGES)
            elif base == "speaker":
                v = rng.choice(vocab.SPOKESPEOPLE)
            elif base == "quote":
                v = rng.choice(vocab.QUOTES)
            else:
                raise KeyError(name)
            chosen[base] = v
            if name[:1].isupper():
                v = capitalize(v)
            chosen[name] = v
            return v

        text = _SLOT.sub(lambda m: value(m.group(1)), template)
        return capitalize(text)

    def headline(self, template: str, **fixed: str) -> str:
        """A filled template in headline case ("the ceasefire talks" -> "the Ceasefire Talks")."""
        lowered = _SLOT.sub(lambda m: "{" + m.group(1).lower() + "}", template)
        return title_case(self.fill(lowered, **fixed))


def sentence(filler: Filler, used: set, templates=vocab.SENTENCES) -> str:
    rng = filler.rng
    if len(used) >= len(templates) - 4:
        used.clear()
    for _ in range(12):
        idx = rng.randrange(len(templates))
        if idx not in used:
            break
    used.add(idx)
    return filler.fill(templates[idx])


def paragraph(filler: Filler, used: set, n: int) -> str:
    return " ".join(sentence(filler, used) for _ in range(n))


def comment_text(filler: Filler, parent_author: str | None) -> list[str]:
    rng = filler.rng
    if parent_author:
        first = filler.fill(rng.choice(vocab.REPLIES), parent=parent_author.split(" ")[0])
    else:
        first = filler.fill(rng.choice(vocab.COMMENTS))
    paras = [first]
    r = rng.random()
    if r < 0.35:
        paras[0] += " " + filler.fill(rng.choice(vocab.COMMENT_FOLLOWUPS))
    elif r < 0.5:
        paras.append(filler.fill(rng.choice(vocab.COMMENT_FOLLOWUPS)))
    return paras
