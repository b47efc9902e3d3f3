"""The words `mooc new` writes into an author's files, in the site's language (what it says to the person who
runs it is in mooc's catalogue, in theirs: lang/)."""

from __future__ import annotations

_WRITTEN: dict[str, dict[str, str]] = {
    "fr": {
        "quiz_comment": "   # le quiz de cette page (un fichier du même dossier)",
        "first_course": "Mon premier cours",
        "first_module": "Introduction",
        "first_sequence": "Bienvenue",
        "modeline": "# (La ligne ci-dessus aide VS Code : il propose les mots-clés et souligne les fautes.)",
    },
    "en": {
        "quiz_comment": "   # this page's quiz (a file in the same folder)",
        "first_course": "My first course",
        "first_module": "Introduction",
        "first_sequence": "Welcome",
        "modeline": "# (The line above helps VS Code: it offers the keys and underlines mistakes.)",
    },
}


def written(language: str, key: str) -> str:
    """The text ``key`` in ``language`` (English for a language without templates)."""
    return _WRITTEN.get(language, _WRITTEN["en"])[key]
