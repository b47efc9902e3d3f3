"""What `mooc check` says of every mistake an author can make with the keys of matching, ordering, cloze and
hotspot questions, in French and in English: at its place (a cloze blank's problem at the blank itself, inside
the text), naming what is wrong and how to write it right.

Each test replaces the quiz's questions of these types (the end of the minimal tree's quiz, tests/test_errors.py)
with one question holding one mistake, runs `mooc --lang LANGUAGE check content` and finds the whole line.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mooc_builder.model import limits
from tests.test_errors import QUIZ, Content, at, content
from tests.test_messages_values import N, q, said

__all__ = ["content"]  # the fixture

MATCHING = '  - type: matching\n    prompt: "Reliez."\n'
ORDERING = '  - type: ordering\n    prompt: "Dans l\'ordre."\n'
CLOZE = '  - type: cloze\n    prompt: "Complétez."\n'
HOTSPOT = '  - type: hotspot\n    prompt: "Où ?"\n    image: ../media/floor-plan.svg\n'
MIDDLE = '      - {shape: circle, coords: [70, 35, 15], label: "The middle"}\n'
TWO_PAIRS = '    pairs:\n      - {left: "One", right: "1"}\n      - {left: "Two", right: "2"}\n'
# The floor plan's viewBox is 0 0 100 60.
SPAN = "x 0 to 100 and y 0 to 60"
SPAN_FR = "x 0 à 100 et de y 0 à 60"


def ask(content: Content, question: str) -> str:
    """The quiz with ``question`` in place of its questions of the four types; its whole text."""
    text = content.read(QUIZ)
    end = text.find("  - type:", text.index("  - type: multiple") + 1)
    return content.write(QUIZ, (text[:end] if end >= 0 else text) + question)


def zone(rest: str) -> str:
    return HOTSPOT + "    zones:\n" + MIDDLE + "      - {" + rest + "}\n"


@dataclass(frozen=True)
class Mistake:
    question: str
    needle: str  # where the message is: the first place this is written in the question
    en: str
    fr: str
    shift: int = 0  # columns after the needle's first character


MISTAKES = {
    # --- matching -----------------------------------------------------------------------------------------
    "pairs missing": Mistake(
        MATCHING, "type: matching",
        'the list of pairs is missing; add pairs: [{left: "Abonnement", right: "Part fixe"}, ...]',
        f'il manque la liste des paires{N}; ajoutez pairs: [{{left: "Abonnement", right: "Part fixe"}}, ...]'),
    "one pair": Mistake(
        MATCHING + '    pairs:\n      - {left: "One", right: "1"}\n', '- {left: "One"',
        'a matching question needs at least two pairs; add pairs: with left: and right:, e.g. {left: "Abonnement", '
        'right: "Part fixe"}',
        f'une question matching demande au moins deux paires{N}; ajoutez pairs: avec left: et right:, par exemple '
        '{left: "Abonnement", right: "Part fixe"}'),
    "no pair": Mistake(
        MATCHING + "    pairs: []\n", "[]",
        'a matching question needs at least two pairs; add pairs: with left: and right:, e.g. {left: "Abonnement", '
        'right: "Part fixe"}',
        f'une question matching demande au moins deux paires{N}; ajoutez pairs: avec left: et right:, par exemple '
        '{left: "Abonnement", right: "Part fixe"}'),
    "a pair that is no mapping": Mistake(
        MATCHING + '    pairs:\n      - "One"\n      - {left: "Two", right: "2"}\n', '"One"',
        "a pair should be a mapping of keys, found 'One'; write one 'key: value' per line",
        f"une paire doit être une liste de clés (lignes {q('clé: valeur')}), pas {q('One')}{N}; écrivez une ligne "
        f"{q('clé: valeur')} par clé"),
    "left side missing": Mistake(
        MATCHING + '    pairs:\n      - {right: "1"}\n      - {left: "Two", right: "2"}\n', '{right: "1"}',
        "the left side is missing; add left: \"...\"", f"il manque le côté gauche{N}; ajoutez left: \"...\""),
    "right side missing": Mistake(
        MATCHING + '    pairs:\n      - {left: "One"}\n      - {left: "Two", right: "2"}\n', '{left: "One"}',
        "the right side is missing; add right: \"...\"", f"il manque le côté droit{N}; ajoutez right: \"...\""),
    "empty left side": Mistake(
        MATCHING + '    pairs:\n      - {left: "", right: "1"}\n      - {left: "Two", right: "2"}\n', '""',
        "'left' is empty; add left: \"...\"", f"{q('left')} est vide{N}; ajoutez left: \"...\""),
    "misspelt left": Mistake(
        MATCHING + '    pairs:\n      - {lef: "One", right: "1"}\n      - {left: "Two", right: "2"}\n', "lef:",
        "unknown key 'lef' in a pair; did you mean 'left'?",
        f"clé inconnue {q('lef')} dans une paire{N}; vouliez-vous dire {q('left')}{N}?"),
    "duplicate left side": Mistake(
        MATCHING + '    pairs:\n      - {left: "One", right: "1"}\n      - {left: "*one*", right: "2"}\n', '"*one*"',
        "this left side is already written above, at line 30; give each left side once; a right side may serve "
        "several",
        f"ce côté gauche est déjà écrit plus haut, ligne 30{N}; écrivez chaque côté gauche une fois{N}; un même côté "
        "droit peut en servir plusieurs"),
    "every right side equal": Mistake(
        MATCHING + '    pairs:\n      - {left: "One", right: "1"}\n      - {left: "Two", right: "1"}\n',
        '- {left: "One"',
        "every pair has the same right side: there is nothing to choose; give the pairs at least two different "
        "right sides",
        f"toutes les paires ont le même côté droit{N}: il n'y a rien à choisir{N}; donnez aux paires au moins deux "
        "côtés droits différents"),
    "one right side written two ways": Mistake(
        MATCHING + '    pairs:\n      - {left: "One", right: "Part fixe"}\n      - {left: "Two", right: "part  fixe"}\n'
        '      - {left: "Three", right: "Part variable"}\n', '"part  fixe"',
        "this right side is written 'Part fixe' above: the list would offer both; write a right side that serves "
        "several left sides the same way each time",
        f"ce côté droit est écrit {q('Part fixe')} plus haut{N}: la liste proposerait les deux{N}; écrivez de la "
        "même façon, à chaque fois, un côté droit qui sert plusieurs côtés gauches"),
    # --- ordering -----------------------------------------------------------------------------------------
    "items missing": Mistake(
        ORDERING, "type: ordering",
        'the list of items is missing; add items: ["Diagnostic", "Vote", "Travaux"]',
        f'il manque la liste des éléments{N}; ajoutez items: ["Diagnostic", "Vote", "Travaux"]'),
    "one item": Mistake(
        ORDERING + '    items: ["Diagnostic"]\n', '["Diagnostic"]',
        "an ordering question needs at least two items; list the items in the right order: they are shown shuffled",
        f"une question ordering demande au moins deux éléments{N}; écrivez les éléments dans le bon ordre{N}: ils "
        "sont présentés mélangés"),
    "empty item": Mistake(
        ORDERING + '    items: ["Diagnostic", "", "Travaux"]\n', '""',
        "this item is empty; write what the item says, or remove it",
        f"cet élément est vide{N}; écrivez ce que dit l'élément, ou retirez-le"),
    "duplicate item": Mistake(
        ORDERING + '    items: ["Diagnostic", "Vote", "diagnostic"]\n', '"diagnostic"',
        "this item is written twice: its place in the order would be ambiguous; give each item once, in the right "
        "order",
        f"cet élément est écrit deux fois{N}: sa place dans l'ordre serait ambiguë{N}; écrivez chaque élément une "
        "fois, dans le bon ordre"),
    # --- cloze --------------------------------------------------------------------------------------------
    "text missing": Mistake(
        CLOZE, "type: cloze",
        'the text with its blanks is missing; add text: "Le chauffage représente [[60|soixante]] % de la '
        'consommation."',
        f'il manque le texte avec ses trous{N}; ajoutez text: "Le chauffage représente [[60|soixante]] % de la '
        'consommation."'),
    "no blank": Mistake(
        CLOZE + '    text: "Il fait 19 degrés."\n', '"Il fait',
        "this text has no blank; write each blank between double brackets: Le chauffage représente [[60]] %",
        f"ce texte n'a aucun trou{N}; écrivez chaque trou entre doubles crochets{N}: Le chauffage représente "
        "[[60]] %"),
    "empty blank": Mistake(
        CLOZE + '    text: "Il fait [[19]] degrés, [[]] en hiver."\n', "[[]]",
        "this blank is empty; write its answer between the brackets: [[60]], or [[60|soixante]]",
        f"ce trou est vide{N}; écrivez sa réponse entre les crochets{N}: [[60]], ou [[60|soixante]]"),
    "empty alternative": Mistake(
        CLOZE + '    text: "Il fait [[19||dix-neuf]] degrés."\n', "[[19||",
        "this blank has an empty answer between two |; remove the extra |, or write the answer",
        f"ce trou a une réponse vide entre deux |{N}; retirez le | en trop, ou écrivez la réponse"),
    "unclosed blank": Mistake(
        CLOZE + '    text: "Il fait [[19]] degrés, [[peu en hiver."\n', "[[peu",
        "this blank is not closed by ]]; write each blank as [[answer]], or [[right|wrong]]* for a list",
        f"ce trou n'est pas fermé par ]]{N}; écrivez chaque trou [[réponse]], ou [[bonne|fausse]]* pour une liste"),
    "blank unclosed before the next": Mistake(
        CLOZE + '    text: "Il fait [[19 degrés, [[peu]] en hiver."\n', "[[19",
        "this blank is not closed by ]] before the next one; close each blank: [[answer]]",
        f"ce trou n'est pas fermé par ]] avant le suivant{N}; fermez chaque trou{N}: [[réponse]]"),
    "stray closing": Mistake(
        CLOZE + '    text: "Il fait 19]] degrés, [[peu]] en hiver."\n', "]]",
        "this ]] closes no blank; write each blank as [[answer]], or [[right|wrong]]* for a list",
        f"ce ]] ne ferme aucun trou{N}; écrivez chaque trou [[réponse]], ou [[bonne|fausse]]* pour une liste"),
    "a list of one": Mistake(
        CLOZE + '    text: "Il fait [[19]] degrés, [[peu]]* en hiver."\n', "[[peu",
        "a list to choose from needs at least two options; add wrong options after the right one: "
        "[[right|wrong|wrong]]*; or remove the * for a blank to type in",
        f"une liste à choix demande au moins deux options{N}; ajoutez des options fausses après la bonne{N}: "
        f"[[bonne|fausse|fausse]]*{N}; ou retirez l'* pour un trou à remplir au clavier"),
    "an option twice": Mistake(
        CLOZE + '    text: "Il fait [[19]] degrés, [[peu|beaucoup|peu]]* en hiver."\n', "[[peu",
        "an option of this list is written twice; give each option once, the right one first",
        f"une option de cette liste est écrite deux fois{N}; écrivez chaque option une fois, la bonne en premier"),
    "an option twice in other letters": Mistake(
        CLOZE + '    text: "Chauffer ? [[Oui|Non|oui]]*"\n', "[[Oui",
        "an option of this list is written twice; give each option once, the right one first",
        f"une option de cette liste est écrite deux fois{N}; écrivez chaque option une fois, la bonne en premier"),
    "a blank in a plain text": Mistake(
        CLOZE + "    text: Il fait [[]] degrés.\n", "[[]]",
        "this blank is empty; write its answer between the brackets: [[60]], or [[60|soixante]]",
        f"ce trou est vide{N}; écrivez sa réponse entre les crochets{N}: [[60]], ou [[60|soixante]]"),
    "a blank in a question written on one line": Mistake(
        '  - {type: cloze, prompt: "Complétez.", text: "Il fait [[19]] degrés, [[]] en hiver."}\n', "[[]]",
        "this blank is empty; write its answer between the brackets: [[60]], or [[60|soixante]]",
        f"ce trou est vide{N}; écrivez sa réponse entre les crochets{N}: [[60]], ou [[60|soixante]]"),
    "a blank after an escape is placed at itself": Mistake(
        CLOZE + '    text: "Il fait \\u00e9t\\u00e9 [[]] degrés."\n', "[[]]",
        "this blank is empty; write its answer between the brackets: [[60]], or [[60|soixante]]",
        f"ce trou est vide{N}; écrivez sa réponse entre les crochets{N}: [[60]], ou [[60|soixante]]"),
    "a blank on the third line of a folded text": Mistake(
        CLOZE + "    text: >\n      Il fait [[19]] degrés\n      dans le séjour,\n      et [[]] dans la chambre.\n",
        "[[]]",
        "this blank is empty; write its answer between the brackets: [[60]], or [[60|soixante]]",
        f"ce trou est vide{N}; écrivez sa réponse entre les crochets{N}: [[60]], ou [[60|soixante]]"),
    "a blank on the second line of a quoted text": Mistake(
        CLOZE + "    text: 'L''eau est à [[19]] degrés,\n      puis à [[a||b]].'\n", "[[a||b]]",
        "this blank has an empty answer between two |; remove the extra |, or write the answer",
        f"ce trou a une réponse vide entre deux |{N}; retirez le | en trop, ou écrivez la réponse"),
    # --- hotspot ------------------------------------------------------------------------------------------
    "image missing": Mistake(
        '  - type: hotspot\n    prompt: "Où ?"\n    zones:\n' + MIDDLE, "type: hotspot",
        "the drawing is missing; add image: ../media/schema.svg",
        f"il manque le dessin{N}; ajoutez image: ../media/schema.svg"),
    "image not found": Mistake(
        HOTSPOT.replace("floor-plan.svg", "floorplan.svg") + "    zones:\n" + MIDDLE, "../media/floorplan.svg",
        "drawing '../media/floorplan.svg' not found; did you mean '../media/floor-plan.svg'?",
        f"dessin {q('../media/floorplan.svg')} introuvable{N}; vouliez-vous dire {q('../media/floor-plan.svg')}{N}?"),
    "image not a drawing": Mistake(
        HOTSPOT.replace("floor-plan.svg", "sheet.pdf") + "    zones:\n" + MIDDLE, "../media/sheet.pdf",
        "'../media/sheet.pdf' is not a drawing; use one of: gif, jpeg, jpg, png, svg, webp",
        f"{q('../media/sheet.pdf')} ne convient pas comme dessin{N}; utilisez l'un de ces types de fichiers{N}: gif, "
        "jpeg, jpg, png, svg, webp"),
    "zones missing": Mistake(
        HOTSPOT, "type: hotspot",
        'the list of zones is missing; add zones: [{shape: rect, coords: [10, 10, 120, 40], label: "...", '
        'correct: true}]',
        f'il manque la liste des zones{N}; ajoutez zones: [{{shape: rect, coords: [10, 10, 120, 40], label: "...", '
        'correct: true}]'),
    "one zone": Mistake(
        HOTSPOT + "    zones:\n" + MIDDLE, "- {shape: circle",
        "a hotspot question needs at least two zones; add the zones a learner may point at, with correct: true on "
        "the right ones",
        f"une question hotspot demande au moins deux zones{N}; ajoutez les zones que l'apprenant peut désigner, avec "
        "correct: true sur les bonnes"),
    "no correct zone": Mistake(
        zone('shape: rect, coords: [5, 5, 35, 25], label: "The corner"'), "- {shape: circle",
        "no zone is correct; mark the right zones correct: true",
        f"aucune zone n'est correcte{N}; marquez les bonnes zones correct: true"),
    "unknown shape": Mistake(
        zone('shape: rectangle, coords: [5, 5, 35, 25], label: "The corner", correct: true'), "rectangle",
        "'rectangle' is not one of rect, circle, polygon; did you mean 'rect'?",
        f"{q('rectangle')} n'est pas une valeur permise (rect, circle, polygon){N}; vouliez-vous dire {q('rect')}{N}?"),
    "shape missing": Mistake(
        zone('coords: [5, 5, 35, 25], label: "The corner", correct: true'), "{coords",
        "the zone's shape is missing; add shape: rect", f"il manque la forme de la zone{N}; ajoutez shape: rect"),
    "label missing": Mistake(
        zone('shape: rect, coords: [5, 5, 35, 25], correct: true'), "{shape: rect",
        "the zone's label is missing; add label: \"...\"", f"il manque le label de la zone{N}; ajoutez label: \"...\""),
    "coords missing": Mistake(
        zone('shape: rect, label: "The corner", correct: true'), "{shape: rect",
        "the zone's list of coordinates is missing; add coords: [10, 10, 120, 40]",
        f"il manque la liste des coordonnées de la zone{N}; ajoutez coords: [10, 10, 120, 40]"),
    "a rectangle of three numbers": Mistake(
        zone('shape: rect, coords: [5, 5, 35], label: "The corner", correct: true'), "[5, 5, 35]",
        "a rect zone is written with 4 numbers, found 3; write the two corners: coords: [x1, y1, x2, y2]",
        f"une zone rect s'écrit avec 4 nombres, trouvé 3{N}; écrivez les deux coins{N}: coords: [x1, y1, x2, y2]"),
    "a circle of one number": Mistake(
        zone('shape: circle, coords: 5, label: "The corner", correct: true'), "5, label",
        "a circle zone is written with 3 numbers, found 1; write the centre and the radius: coords: [x, y, radius]",
        f"une zone circle s'écrit avec 3 nombres, trouvé 1{N}; écrivez le centre et le rayon{N}: coords: [x, y, "
        "rayon]"),
    "a polygon of five numbers": Mistake(
        zone('shape: polygon, coords: [5, 5, 35, 5, 20], label: "The corner", correct: true'), "[5, 5, 35, 5, 20]",
        "a polygon zone is written with an x and a y for each of its corners, three corners or more, found 5 "
        "numbers; write each corner's x and y: coords: [x1, y1, x2, y2, x3, y3]",
        "une zone polygon s'écrit avec un x et un y pour chacun de ses sommets, trois sommets ou plus, trouvé 5 "
        f"nombres{N}; écrivez le x et le y de chaque sommet{N}: coords: [x1, y1, x2, y2, x3, y3]"),
    "a polygon of two corners": Mistake(
        zone('shape: polygon, coords: [5, 5, 35, 5], label: "The corner", correct: true'), "[5, 5, 35, 5]",
        "a polygon zone is written with an x and a y for each of its corners, three corners or more, found 4 "
        "numbers; write each corner's x and y: coords: [x1, y1, x2, y2, x3, y3]",
        "une zone polygon s'écrit avec un x et un y pour chacun de ses sommets, trois sommets ou plus, trouvé 4 "
        f"nombres{N}; écrivez le x et le y de chaque sommet{N}: coords: [x1, y1, x2, y2, x3, y3]"),
    "an empty rectangle": Mistake(
        zone('shape: rect, coords: [35, 5, 5, 25], label: "The corner", correct: true'), "[35, 5, 5, 25]",
        "this rectangle is empty: its second corner must be right of and below its first; write the two corners: "
        "coords: [x1, y1, x2, y2]",
        f"ce rectangle est vide{N}: son second coin doit être à droite et en dessous du premier{N}; écrivez les deux "
        f"coins{N}: coords: [x1, y1, x2, y2]"),
    "a zero radius": Mistake(
        zone('shape: circle, coords: [20, 20, 0], label: "The corner", correct: true'), "[20, 20, 0]",
        "the circle's radius must be above 0; write the centre and the radius: coords: [x, y, radius]",
        f"le rayon du cercle doit être supérieur à 0{N}; écrivez le centre et le rayon{N}: coords: [x, y, rayon]"),
    "a flat polygon": Mistake(
        zone('shape: polygon, coords: [0, 0, 10, 10, 20, 20], label: "The corner", correct: true'),
        "[0, 0, 10, 10, 20, 20]",
        "this polygon has no area: its corners are on one line; write each corner's x and y: coords: [x1, y1, x2, "
        "y2, x3, y3]",
        f"ce polygone n'a pas de surface{N}: ses sommets sont alignés{N}; écrivez le x et le y de chaque sommet{N}: "
        "coords: [x1, y1, x2, y2, x3, y3]"),
    "a zone out of the drawing": Mistake(
        zone('shape: rect, coords: [5, 5, 135, 25], label: "The corner", correct: true'), "[5, 5, 135, 25]",
        f"this zone goes out of the drawing, which spans {SPAN}; write the coordinates in the drawing's own units "
        "(an SVG's viewBox, a picture's pixels)",
        f"cette zone sort du dessin, qui va de {SPAN_FR}{N}; écrivez les coordonnées dans les unités du dessin (la "
        "viewBox d'un SVG, les pixels d'une image)"),
    "a circle crossing the drawing's edge": Mistake(
        zone('shape: circle, coords: [95, 30, 10], label: "The corner", correct: true'), "[95, 30, 10]",
        f"this zone goes out of the drawing, which spans {SPAN}; write the coordinates in the drawing's own units "
        "(an SVG's viewBox, a picture's pixels)",
        f"cette zone sort du dessin, qui va de {SPAN_FR}{N}; écrivez les coordonnées dans les unités du dessin (la "
        "viewBox d'un SVG, les pixels d'une image)"),
    "two zones of one label": Mistake(
        zone('shape: rect, coords: [5, 5, 35, 25], label: "the middle", correct: true'), '"the middle"',
        "two zones are named 'the middle'; give each zone its own label: it is what a learner choosing from the "
        "keyboard hears",
        f"deux zones s'appellent {q('the middle')}{N}; donnez à chaque zone son propre label{N}: c'est ce qu'entend "
        "l'apprenant qui choisit au clavier"),
    "two zones of one label in other letters": Mistake(
        zone('shape: rect, coords: [5, 5, 35, 25], label: "THE  MIDDLE", correct: true'), '"THE  MIDDLE"',
        "two zones are named 'THE  MIDDLE'; give each zone its own label: it is what a learner choosing from the "
        "keyboard hears",
        f"deux zones s'appellent {q('THE  MIDDLE')}{N}; donnez à chaque zone son propre label{N}: c'est ce qu'entend "
        "l'apprenant qui choisit au clavier"),
    "a coordinate that is no number": Mistake(
        zone('shape: rect, coords: [5, 5, 35, dix], label: "The corner", correct: true'), "dix",
        "expected a number, found 'dix'; write a number such as 19 or 0.5",
        f"on attend un nombre, pas {q('dix')}{N}; écrivez un nombre comme 19 ou 0,5"),
    # --- keys of another type -----------------------------------------------------------------------------
    "pairs in a single question": Mistake(
        '  - type: single\n    prompt: "Lequel ?"\n    choices:\n      - {text: "A", correct: true}\n'
        '      - {text: "B"}\n' + TWO_PAIRS, "pairs:",
        "'pairs' does not apply to a question of type single; remove it or change the type",
        f"{q('pairs')} ne s'applique pas à une question de type single{N}; retirez-la ou changez le type"),
    "items in a matching question": Mistake(
        MATCHING + TWO_PAIRS + '    items: ["One", "Two"]\n', "items:",
        "'items' does not apply to a question of type matching; remove it or change the type",
        f"{q('items')} ne s'applique pas à une question de type matching{N}; retirez-la ou changez le type"),
    "zones in a cloze question": Mistake(
        CLOZE + '    text: "Il fait [[19]] degrés."\n    zones: []\n', "zones:",
        "'zones' does not apply to a question of type cloze; remove it or change the type",
        f"{q('zones')} ne s'applique pas à une question de type cloze{N}; retirez-la ou changez le type"),
    "text in a hotspot question": Mistake(
        zone('shape: rect, coords: [5, 5, 35, 25], label: "The corner", correct: true') + '    text: "[[a]]"\n',
        "text:", "'text' does not apply to a question of type hotspot; remove it or change the type",
        f"{q('text')} ne s'applique pas à une question de type hotspot{N}; retirez-la ou changez le type"),
    "image in an ordering question": Mistake(
        ORDERING + '    items: ["A", "B"]\n    image: ../media/floor-plan.svg\n', "image:",
        "'image' does not apply to a question of type ordering; remove it or change the type",
        f"{q('image')} ne s'applique pas à une question de type ordering{N}; retirez-la ou changez le type"),
    "partial credit on a hotspot": Mistake(
        HOTSPOT + "    partial_credit: true\n    zones:\n" + MIDDLE
        + '      - {shape: rect, coords: [5, 5, 35, 25], label: "The corner", correct: true}\n', "partial_credit:",
        "'partial_credit' does not apply to a question of type hotspot; remove it or change the type",
        f"{q('partial_credit')} ne s'applique pas à une question de type hotspot{N}; retirez-la ou changez le type"),
}


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("name", list(MISTAKES))
def test_a_mistake_is_said_at_its_place_with_its_fix(content: Content, name: str, language: str) -> None:
    mistake = MISTAKES[name]
    text = ask(content, mistake.question)
    start = text.index("\n  - ", text.index("  - type: multiple")) + 1  # the question asked, after the five
    line, col = at(text[start:], mistake.needle).split(":")
    place = f"{int(line) + text.count(chr(10), 0, start)}:{int(col) + mistake.shift}"
    message = mistake.fr if language == "fr" else mistake.en
    said(language, f"{QUIZ}:{place}: {message}")


def test_a_blank_s_place_in_a_file_of_windows_line_ends(content: Content) -> None:
    text = ask(content, CLOZE + "    text: >\n      Il fait [[19]] degrés,\n      et [[]] en hiver.\n")
    content.write(QUIZ, text.replace("\n", "\r\n"))
    said("en", f"{QUIZ}:{at(text, '[[]]')}: this blank is empty; write its answer between the brackets: [[60]], or "
               "[[60|soixante]]")


def test_each_mistake_is_said_once(content: Content) -> None:
    """One mistake, one line: a drawing refused as SVG is not said again as a drawing without a size."""
    ask(content, zone('shape: rect, coords: [5, 5, 35, 25], label: "The corner", correct: true'))
    content.write("content/courses/demo/media/floor-plan.svg", "hello")
    lines = said("en", f"{QUIZ}:29:12: the drawing 'content/courses/demo/media/floor-plan.svg' cannot be "
                              "read as SVG: syntax error (line 1); open it in Inkscape and save it again as Plain SVG")
    assert sum(line.startswith(QUIZ) for line in lines) == 1, "\n".join(lines)


# --- bounds: a question's parts, at the first one past them --------------------------------------------------

@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"une question matching a au plus {limits.MAX_PAIRS} paires{N}: celle-ci est la {limits.MAX_PAIRS + 1}e"
           f"{N}; partagez-la en deux questions, ou gardez les paires qui comptent le plus"),
    ("en", f"a matching question has at most {limits.MAX_PAIRS} pairs: this is pair {limits.MAX_PAIRS + 1}; split it "
           "into two questions, or keep the pairs that matter most"),
])
def test_too_many_pairs(content: Content, language: str, message: str) -> None:
    pairs = "".join(f'      - {{left: "L{k}", right: "R{k % 7}"}}\n' for k in range(limits.MAX_PAIRS + 5))
    text = ask(content, MATCHING + "    pairs:\n" + pairs)
    said(language, f"{QUIZ}:{at(text, '{left: ' + chr(34) + f'L{limits.MAX_PAIRS}' + chr(34))}: {message}")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"une question ordering a au plus {limits.MAX_ITEMS} éléments{N}: celui-ci est le {limits.MAX_ITEMS + 1}e"
           f"{N}; partagez-la en deux questions, ou gardez les étapes qui comptent le plus"),
    ("en", f"an ordering question has at most {limits.MAX_ITEMS} items: this is item {limits.MAX_ITEMS + 1}; split it "
           "into two questions, or keep the steps that matter most"),
])
def test_too_many_items(content: Content, language: str, message: str) -> None:
    items = ", ".join(f"Étape {k}" for k in range(limits.MAX_ITEMS + 1))
    text = ask(content, ORDERING + f"    items: [{items}]\n")
    said(language, f"{QUIZ}:{at(text, f'Étape {limits.MAX_ITEMS}')}: {message}")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"une question hotspot a au plus {limits.MAX_ZONES} zones{N}: celle-ci est la {limits.MAX_ZONES + 1}e{N}; "
           "gardez les zones que l'apprenant doit distinguer, ou partagez le dessin en deux questions"),
    ("en", f"a hotspot question has at most {limits.MAX_ZONES} zones: this is zone {limits.MAX_ZONES + 1}; keep the "
           "zones a learner should tell apart, or split the drawing into two questions"),
])
def test_too_many_zones(content: Content, language: str, message: str) -> None:
    zones = "".join(f'      - {{shape: circle, coords: [50, 30, 1], label: "Z{k}", correct: true}}\n'
                    for k in range(limits.MAX_ZONES + 1))
    text = ask(content, HOTSPOT + "    zones:\n" + zones)
    said(language, f"{QUIZ}:{at(text, '{shape: circle, coords: [50, 30, 1], label: ' + chr(34) + 'Z100')}: {message}")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"un texte à trous a au plus {limits.MAX_BLANKS} trous{N}: celui-ci est le {limits.MAX_BLANKS + 1}e{N}; "
           "partagez le texte en plusieurs questions cloze"),
    ("en", f"a cloze text has at most {limits.MAX_BLANKS} blanks: this is blank {limits.MAX_BLANKS + 1}; split the "
           "text into several cloze questions"),
])
def test_too_many_blanks_at_the_first_blank_past_the_bound(content: Content, language: str, message: str) -> None:
    words = " ".join(f"mot{k} [[{k}]]" for k in range(limits.MAX_BLANKS + 3))
    text = ask(content, CLOZE + f'    text: "{words}"\n')
    lines = said(language, f"{QUIZ}:{at(text, f'[[{limits.MAX_BLANKS}]]')}: {message}")
    assert sum(line.startswith(QUIZ) for line in lines) == 1  # nothing said of the blanks after it


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"ce trou a {limits.MAX_BLANK_ANSWERS + 1} réponses{N}: au plus {limits.MAX_BLANK_ANSWERS}{N}; gardez les "
           "réponses qu'un apprenant écrirait, ou les options dont la liste a besoin"),
    ("en", f"this blank has {limits.MAX_BLANK_ANSWERS + 1} answers: at most {limits.MAX_BLANK_ANSWERS}; keep the "
           "answers a learner would write, or the options a list needs"),
])
def test_too_many_answers_to_a_blank(content: Content, language: str, message: str) -> None:
    options = "|".join(f"o{k}" for k in range(limits.MAX_BLANK_ANSWERS + 1))
    text = ask(content, CLOZE + f'    text: "Il fait [[19]] et [[{options}]]*."\n')
    said(language, f"{QUIZ}:{at(text, '[[o0|')}: {message}")


@pytest.mark.parametrize(("language", "message"), [
    ("fr", f"une zone polygon a au plus {limits.MAX_CORNERS} sommets, trouvé {limits.MAX_CORNERS + 1}{N}; simplifiez "
           f"son contour{N}: quelques sommets suffisent pour désigner un endroit (Inkscape{N}: Chemin > Simplifier)"),
    ("en", f"a polygon zone has at most {limits.MAX_CORNERS} corners, found {limits.MAX_CORNERS + 1}; simplify its "
           "outline: a few corners are enough to point at (Inkscape: Path > Simplify)"),
])
def test_too_many_corners(content: Content, language: str, message: str) -> None:
    corners = ", ".join(f"{10 + k % 2}, {k * 50 / limits.MAX_CORNERS:.3f}" for k in range(limits.MAX_CORNERS + 1))
    text = ask(content, zone(f'shape: polygon, coords: [{corners}], label: "P", correct: true'))
    said(language, f"{QUIZ}:{at(text, '[10, 0.000')}: {message}")
