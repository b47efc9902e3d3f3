"""The messages of `mooc new`, in French and English (the site's language)."""

from __future__ import annotations

_MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "course": "un cours", "module": "un module", "sequence": "une séquence", "quiz": "un quiz",
        "bad_id": "« {id} » ne peut pas être le nom d'{what} : un nom s'écrit en minuscules sans accents, "
                  "chiffres et tirets (-), sans espace",
        "try": " ; écrivez par exemple : {fixed}",
        "numbered": "« {id} » : donnez le nom sans numéro ({fixed}) ; le numéro est ajouté tout seul",
        "reserved": "« {id} » est un nom réservé (par le site ou par Windows) : choisissez-en un autre",
        "exists": "{path} existe déjà : rien n'a été écrit (choisissez un autre nom)",
        "exists_id": "il y a déjà {what} de ce nom ({id}) : {path} ; rien n'a été écrit",
        "no_site": "pas de site.yml dans ce dossier ni au-dessus : créez un site avec « mooc new site content », "
                   "ou placez-vous dans le dossier d'un site",
        "not_in_course": "placez-vous dans le dossier d'un cours (courses/<cours>/) pour y ajouter un module",
        "not_in_module": "placez-vous dans le dossier d'un module (courses/<cours>/01-<module>/) pour y ajouter "
                         "une séquence ou un quiz",
        "has_quiz": "{path} a déjà un quiz (ligne quiz:) : rien n'a été écrit",
        "list_it": "ajoutez {id} à la liste courses: de site.yml pour publier ce cours",
        "cannot": "écriture impossible ({error}) : rien n'a été écrit",
        "quiz_comment": "   # le quiz de cette page (un fichier du même dossier)",
        "first_course": "Mon premier cours",
        "first_module": "Introduction",
        "first_sequence": "Bienvenue",
        "created": "Créé :",
        "changed": "Modifié :",
        "next": "Vérifiez avec : {command}",
        "modeline": "# (La ligne ci-dessus aide VS Code : il propose les mots-clés et souligne les fautes.)",
    },
    "en": {
        "course": "a course", "module": "a module", "sequence": "a sequence", "quiz": "a quiz",
        "bad_id": "'{id}' cannot be the name of {what}: a name is lower-case letters without accents, digits "
                  "and hyphens (-), with no space",
        "try": "; for example: {fixed}",
        "numbered": "'{id}': give the name without its number ({fixed}); the number is added for you",
        "reserved": "'{id}' is a reserved name (by the site or by Windows): choose another one",
        "exists": "{path} already exists: nothing was written (choose another name)",
        "exists_id": "there is already {what} of this name ({id}): {path}; nothing was written",
        "no_site": "no site.yml in this folder or above it: make a site with 'mooc new site content', "
                   "or go into a site's folder",
        "not_in_course": "go into a course's folder (courses/<course>/) to add a module to it",
        "not_in_module": "go into a module's folder (courses/<course>/01-<module>/) to add a sequence or a quiz",
        "has_quiz": "{path} has a quiz already (a quiz: line): nothing was written",
        "list_it": "add {id} to the courses: list in site.yml to publish this course",
        "cannot": "cannot write ({error}): nothing was written",
        "quiz_comment": "   # this page's quiz (a file in the same folder)",
        "first_course": "My first course",
        "first_module": "Introduction",
        "first_sequence": "Welcome",
        "created": "Created:",
        "changed": "Changed:",
        "next": "Check with: {command}",
        "modeline": "# (The line above helps VS Code: it offers the keys and underlines mistakes.)",
    },
}


def say(language: str, key: str, **values: str) -> str:
    """The message ``key`` in ``language`` (English for a language without messages)."""
    return _MESSAGES.get(language, _MESSAGES["en"])[key].format(**values)
