"""Deterministic benchmark corpus: N articles of ~700 words citing an M-entry bibliography.

    python -m bench.corpus --articles 1000 --entries 200 --seed 1 --dest bench/out/corpus-1000

Each article has the theme's structure (headings, a list, a care card, an inline Book Now marker)
and six citation clusters in every form the citations plugin supports (single, multi-key,
narrative, suppress-author, locator). Half the bibliography is BibTeX with LaTeX accents, half
CSL-JSON, so both loaders are exercised. The entries are synthetic: their DOIs use Crossref's
test prefix 10.5555, which no real work has, and the titles say "Benchmark".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
from pathlib import Path

#: Plain words, mostly of one or two syllables, as the clinic writes for patients (a reading age
#: near 9: the site's target is 11), with a few longer clinical words.
# fmt: off
WORDS = [
    "run", "walk", "back", "pain", "legs", "core", "rest", "load", "disc", "spine", "week", "plan",
    "slow", "pace", "time", "step", "strong", "calm", "sleep", "body", "move", "lift", "bend", "knee",
    "hip", "feet", "breath", "sore", "stiff", "warm", "cool", "help", "start", "keep", "build", "small",
    "short", "long", "easy", "hard", "safe", "good", "better", "most", "often", "each", "day", "rest",
    "runners", "muscle", "training", "evidence", "patient", "clinic", "balance", "power", "goal",
    "habit", "exercise", "recovery", "strength", "the", "a", "you", "your", "can", "will", "to", "and",
    "of", "with", "in", "on", "for", "it", "is", "this", "that", "we",
]
# fmt: on
#: Metadata words (tags, titles): the topics, without the little words.
TOPICS = [w for w in WORDS if len(w) > 3]
FAMILIES = [
    "Belavý",
    "Müller",
    "Søndergaard",
    "García",
    "O'Neill",
    "Nguyễn",
    "Kowalski",
    "Smith",
    "Okafor",
    "Lee",
]
ACCENTS = {"ý": "{\\'y}", "ü": '{\\"u}', "ø": "{\\o}", "í": "{\\'i}", "ễ": "{\\~e}"}


def _latex(text: str) -> str:
    for char, macro in ACCENTS.items():
        text = text.replace(char, macro)
    return text


def _entry(i: int, rng: random.Random) -> dict:
    n_authors = rng.choice([1, 2, 3, 4, 7])
    authors = [
        {"family": f"{rng.choice(FAMILIES)}{'' if k == 0 else k}", "given": rng.choice("ABCDEFGH") + "."}
        for k in range(n_authors)
    ]
    return {
        "id": f"bench{i:04d}",
        "type": "article-journal",
        "title": f"Benchmark study {i} of {rng.choice(TOPICS)} and {rng.choice(TOPICS)} in runners",
        "container-title": rng.choice(["Journal of Synthetic Physiotherapy", "Benchmark Sports Medicine"]),
        "volume": str(rng.randint(1, 60)),
        "issue": str(rng.randint(1, 12)),
        "page": f"{(p := rng.randint(1, 900))}-{p + rng.randint(5, 20)}",
        "DOI": f"10.5555/bench.{i:04d}",
        "issued": {"date-parts": [[rng.randint(1995, 2025)]]},
        "author": authors,
    }


def _bibtex(item: dict) -> str:
    authors = " and ".join(f"{_latex(a['family'])}, {a['given']}" for a in item["author"])
    first, last = item["page"].split("-")
    return (
        f"@article{{{item['id']},\n  author = {{{authors}}},\n  title = {{{item['title']}}},\n"
        f"  journal = {{{item['container-title']}}},\n  year = {{{item['issued']['date-parts'][0][0]}}},\n"
        f"  volume = {{{item['volume']}}},\n  number = {{{item['issue']}}},\n  pages = {{{first}--{last}}},\n"
        f"  doi = {{{item['DOI']}}}\n}}\n"
    )


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, cite: str = "") -> str:
    sentences = [_sentence(rng, rng.randint(7, 12)) for _ in range(rng.randint(6, 8))]
    if cite:
        sentences.insert(1, cite)
    return " ".join(sentences)


def article(
    i: int, keys: list[str], rng: random.Random, reviewed: dt.date, inline_booking: str = "[[book]]"
) -> str:
    """One article: the seed article's header fields and structure, six citation clusters."""
    k = rng.sample(keys, 7)
    clusters = [
        f"Running helps [@{k[0]}].",
        f"Several studies agree [@{k[1]}; @{k[2]}].",
        f"@{k[3]} found the same.",
        f"The effect was small [see @{k[4]}, p. {rng.randint(2, 300)}].",
        f"It was replicated in {rng.randint(2000, 2024)} [-@{k[5]}].",
        f"A later review [@{k[6]}, pp. 3-4] confirmed it.",
    ]
    first, second = rng.sample(TOPICS, 2)
    body = [
        f"Title: Benchmark article {i}: {first} and {second}",
        f"Date: {2020 + i % 5}-{1 + i % 12:02d}-{1 + i % 28:02d}",
        f"Category: {rng.choice(['Back pain', 'Running', 'Strength'])}",
        f"Tags: {', '.join(rng.sample(TOPICS, 2))}",
        "Author: alex-example",
        "Reviewed_by: sam-sample",
        f"Reviewed: {reviewed - dt.timedelta(days=i % 90):%Y-%m-%d}",
        f"Summary: {_sentence(rng, 18)}",
        "",
        _paragraph(rng, clusters[0]),
        "",
        "## What the research says",
        "",
        _paragraph(rng, clusters[1]),
        "",
        _paragraph(rng, clusters[2]),
        "",
        "## How to start",
        "",
        *(f"- {_sentence(rng, 8)}" for _ in range(5)),
        "",
        _paragraph(rng, clusters[3]),
        "",
        '!!! non-urgent "See a physiotherapist"',
        f"    {_sentence(rng, 12)} {_sentence(rng, 10)}",
        "",
        "## Keep going",
        "",
        _paragraph(rng, clusters[4]),
        "",
        _paragraph(rng, clusters[5]),
        "",
        _paragraph(rng),
        "",
        _paragraph(rng),
        "",
        inline_booking,
        "",
    ]
    return "\n".join(body)


def generate(
    dest: Path,
    articles: int = 1000,
    entries: int = 200,
    seed: int = 1,
    reviewed: dt.date | None = None,
    inline_booking: str = "[[book]]",
) -> Path:
    """Write the corpus under `dest` (replacing it): content/articles, content/references.

    Everything follows from the seed, except the review dates, which end at `reviewed` (default:
    today) so that no clinical review is ever overdue or in the future on the day the bench runs.
    """
    reviewed = reviewed or dt.date.today()
    rng = random.Random(seed)
    shutil.rmtree(dest, ignore_errors=True)
    (dest / "content" / "articles").mkdir(parents=True)
    (dest / "content" / "pages").mkdir()
    refs = dest / "content" / "references"
    refs.mkdir()
    items = [_entry(i, rng) for i in range(entries)]
    half = entries // 2
    (refs / "bench.bib").write_text("\n".join(_bibtex(item) for item in items[:half]), encoding="utf-8")
    (refs / "bench.json").write_text(json.dumps(items[half:], ensure_ascii=False, indent=1), encoding="utf-8")
    keys = [item["id"] for item in items]
    for i in range(articles):
        path = dest / "content" / "articles" / f"bench-{i:05d}.md"
        path.write_text(article(i, keys, rng, reviewed, inline_booking), encoding="utf-8")
    return dest


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dest", type=Path, required=True)
    args = parser.parse_args(argv)
    generate(args.dest, args.articles, args.entries, args.seed)
    print(f"wrote {args.articles} articles and {args.entries} references to {args.dest}")


if __name__ == "__main__":
    main()
