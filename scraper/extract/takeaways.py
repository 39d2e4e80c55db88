"""Recognizing a "key takeaways" heading or box."""
from __future__ import annotations

import re
from functools import lru_cache

# Names of a takeaways list, matched against a heading's whole text (an
# optional lead word such as "Key"/"The"/"Our" and a trailing qualifier such as
# "from the meeting" are allowed).
_TAKEAWAYS_RE = re.compile(
    r"""^\W*(?:the\s+|our\s+|\d+\s+)?(?:
        (?:key|main|quick|top|major|important)?\s*take[\s-]?aways?\b |
        key\s+(?:points|findings|facts|highlights|lessons) \b |
        what\s+you\s+(?:need|should|must)\s+(?:to\s+)?know\b |
        at\s+a\s+glance\b |
        in\s+(?:brief|short(?!\s+supply)|a\s+nutshell)\b |
        tl\s*;?\s*dr\b |
        (?:story\s+)?highlights\s*$ | summary\s*$ | the\s+bottom\s+line\s*$ | bottom\s+line\s*$ |
        (?:les\s+)?points?\s+cl[ée]s?\b | [àa]\s+retenir\b | l['’]essentiel\b | en\s+bref\b |
        das\s+wichtigste\b | auf\s+einen\s+blick\b | kurz\s+und\s+knapp\b |
        puntos\s+clave\b | lo\s+m[aá]s\s+importante\b | en\s+resumen\b |
        punti\s+chiave\b | in\s+sintesi\b |
        (?:principais\s+)?pontos[\s-]+(?:chave|principais)\b | em\s+resumo\b |
        belangrijkste\s+punten\b | in\s+het\s+kort\b(?!\s+geding) |  # a kort geding is a court case
        главное\s*$ | коротко\s+о\s+главном\b |
        # Chinese and Japanese run words together: a whole short heading, optionally led by
        # "this article's" / "today's" or a count ("3つのポイント").
        (?:本文|文章|この記事の|今日の|\d+\s*つの)?(?:关键|關鍵|核心|主要|重要)?(?:要[点點]|重[点點])(?:速[览覽]|回[顾顧]|摘要|整理)?\s*$ |
        (?:本文|この記事の|今日の|\d+\s*つの)?(?:ポイント|要点)(?:まとめ)?\s*$ |
        핵심\s*(?:요약|정리|포인트)?\s*$ | 주요\s*내용\s*$
    )""",
    re.I | re.X,
)

# Class tokens of a takeaways box.
_BOX_RE = re.compile(r"take-?aways?|key-?points|tldr|tl-dr|at-a-glance|in-brief|key-facts|story-highlights", re.I)


def is_takeaways_heading(text: str) -> bool:
    return bool(text) and len(text) <= 120 and bool(_TAKEAWAYS_RE.match(text))


@lru_cache(maxsize=8192)  # class values repeat within a page and across a site
def is_takeaways_box(class_value: str) -> bool:
    """For a class value, or an id (Jannah's ``div#story-highlights``)."""
    return bool(class_value) and bool(_BOX_RE.search(class_value))
