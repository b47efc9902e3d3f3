#!/usr/bin/env python3
"""Make a synthetic content tree in the course format, for benchmarks.

The same shape as the shared reference generator (courses x modules x sequences
of 600-1,150 words of Markdown with headings, lists, tables, quotes, images and
links to the previous sequence), for when that generator is not beside the
checkout. Every page is seeded from (seed, course, module, sequence), so a small
corpus is a subset of a bigger one.

    python bench/make_corpus.py OUT --courses 8 --modules 10 --sequences 25
"""

from __future__ import annotations

import argparse
import base64
import random
from pathlib import Path

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
WORDS = ["logement", "chauffage", "facture", "énergie", "locataire", "gardien", "compteur", "isolation",
         "fenêtre", "ventilation", "radiateur", "consommation", "chaudière", "résidence", "habitant",
         "charges", "travaux", "économie", "confort", "eau", "électricité", "température", "hiver", "été",
         "bâtiment", "façade", "toiture", "thermostat", "relevé", "contrat"]
VERBS = ["permet de", "aide à", "sert à", "doit", "peut", "cherche à", "suffit pour"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    words.insert(2, rng.choice(VERBS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))


def body(rng: random.Random, title: str, previous: str | None) -> str:
    parts = [f"# {title}", paragraph(rng), "## Objectifs",
             "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(3, 5)))]
    target = rng.randint(600, 1150)
    k = 0
    while sum(len(p.split()) for p in parts) < target:
        parts += [f"## {rng.choice(WORDS).capitalize()} et {rng.choice(WORDS)}", paragraph(rng)]
        extra = k % 4
        if extra == 0:
            rows = ["| Notion | Description | Durée (min) |", "| --- | --- | ---: |"]
            rows += [f"| {rng.choice(WORDS)} | {sentence(rng)} | {rng.randint(5, 60)} |" for _ in range(4)]
            parts.append("\n".join(rows))
        elif extra == 1:
            parts.append(f"> **Remarque :** {paragraph(rng)}")
        elif extra == 2:
            parts.append(f"![Schéma récapitulatif](../media/figure-{rng.randint(1, 4)}.png)")
        else:
            parts.append("\n".join(f"{i}. {sentence(rng)}" for i in range(1, 5)))
        if previous and k == 0:
            parts.append(f"Voir aussi [la séquence précédente]({previous}).")
        k += 1
    return "\n\n".join(parts) + "\n"


def make(out: Path, courses: int, modules: int, sequences: int, seed: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    ids = [f"cours-{c + 1:02d}" for c in range(courses)]
    (out / "site.yml").write_text(
        'title: "Corpus de mesure"\nlanguage: fr\nlicence: CC-BY-NC-ND-4.0\nattribution: "Banc d\'essai"\n'
        f"courses: [{', '.join(ids)}]\n", encoding="utf-8")
    count = 0
    for course in ids:
        folder = out / "courses" / course
        (folder / "media").mkdir(parents=True, exist_ok=True)
        for k in range(1, 5):
            (folder / "media" / f"figure-{k}.png").write_bytes(PNG)
        (folder / "course.yml").write_text(
            f'title: "Cours {course}"\naudience: "Tous"\nlanguage: fr\n'
            f"effort: {{per_week: 10h, weeks: {modules}}}\n", encoding="utf-8")
        for m in range(1, modules + 1):
            module = folder / f"{m:02d}-module-{m}"
            module.mkdir(exist_ok=True)
            (module / "module.yml").write_text(f'title: "Module {m}"\nweek: {m}\n', encoding="utf-8")
            previous = None
            for s in range(1, sequences + 1):
                rng = random.Random(f"{seed}/{course}/{m}/{s}")
                title = f"Séquence {s} : {rng.choice(WORDS)} et {rng.choice(WORDS)}"
                name = f"{s:02d}-sequence-{s}.md"
                text = f'---\ntitle: "{title}"\nduration: {rng.choice([15, 20, 30])}min\n---\n'
                (module / name).write_text(text + body(rng, title, previous), encoding="utf-8")
                previous = name
                count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path)
    parser.add_argument("--courses", type=int, default=8)
    parser.add_argument("--modules", type=int, default=10)
    parser.add_argument("--sequences", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    count = make(args.out, args.courses, args.modules, args.sequences, args.seed)
    print(f"{count} sequences in {args.out}")


if __name__ == "__main__":
    main()
