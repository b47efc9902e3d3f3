#!/usr/bin/env python3
"""Write the one-page "Fiche pratique" PDFs of the course content, by hand.

No dependency: the PDF objects are written directly, with the standard
Helvetica fonts (no embedding) in WinAnsiEncoding so that French accents
work, and a cross-reference table with exact byte offsets.

Usage (from the repository root):
    python3 tools/media/make_pdf.py            # writes every sheet below
    python3 tools/media/make_pdf.py --list     # lists the sheets it writes
"""
import os
import sys
import textwrap

PAGE_W, PAGE_H = 595, 842          # A4 in points
MARGIN = 56


def pdf_string(text):
    """A PDF literal string in WinAnsiEncoding (cp1252), escaped."""
    text = text.replace("\u2019", "'").replace("\u202f", " ").replace("\u00a0", " ")
    raw = text.encode("cp1252")
    out = bytearray(b"(")
    for b in raw:
        if b in (0x28, 0x29, 0x5C):          # ( ) \
            out += b"\\" + bytes([b])
        elif b < 0x20 or b > 0x7E:           # non-ASCII: octal escape
            out += b"\\%03o" % b
        else:
            out.append(b)
    out += b")"
    return bytes(out)


def info_string(text):
    """A text string for the Info dictionary: UTF-16BE with BOM, in hex."""
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def make_pdf(path, title, paragraphs, footer):
    """Write a one-page A4 PDF: a title, paragraphs (or "- " bullets), a footer."""
    ops = [b"BT", b"/F2 18 Tf", b"%d %d Td" % (MARGIN, PAGE_H - MARGIN - 18),
           pdf_string(title) + b" Tj", b"ET",
           b"0.12 0.37 0.55 RG 2 w %d %d m %d %d l S" % (
               MARGIN, PAGE_H - MARGIN - 30, PAGE_W - MARGIN, PAGE_H - MARGIN - 30)]
    y = PAGE_H - MARGIN - 60
    for para in paragraphs:
        bullet = para.startswith("- ")
        body = para[2:] if bullet else para
        lines = textwrap.wrap(body, 84 if not bullet else 80) or [""]
        for i, line in enumerate(lines):
            x = MARGIN + (14 if bullet else 0)
            if bullet and i == 0:
                ops += [b"BT", b"/F1 11 Tf", b"%d %d Td" % (MARGIN + 2, y),
                        pdf_string("\u2022") + b" Tj", b"ET"]
            ops += [b"BT", b"/F1 11 Tf", b"%d %d Td" % (x, y), pdf_string(line) + b" Tj", b"ET"]
            y -= 15
        y -= 7
    ops += [b"BT", b"/F1 8 Tf", b"%d %d Td" % (MARGIN, MARGIN - 20), pdf_string(footer) + b" Tj", b"ET"]
    content = b"\n".join(ops) + b"\n"

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] "
        b"/Resources << /Font << /F1 4 0 R /F2 5 0 R >> >> /Contents 6 0 R >>" % (PAGE_W, PAGE_H),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Title " + info_string(title) + b" /Author " + info_string(footer.split(" \u2013 ")[0])
        + b" /Producer (mooc-builder tools/media/make_pdf.py) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root 1 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
            % (len(objects) + 1, len(objects), xref))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(out)


FOOTER = "Union des organismes de l'habitat social \u2013 Bâtiment durable, les MOOC du logement social \u2013 CC BY-NC-ND 4.0"
C = "content/courses/"

SHEETS = {
    C + "energie-habitants/media/fiche-facture.pdf": (
        "Fiche pratique : lire sa facture d'énergie",
        ["Votre facture d'énergie tient sur une ou deux pages. Quatre repères suffisent pour la comprendre.",
         "- L'abonnement : une somme fixe, due même si vous ne consommez rien.",
         "- La consommation : en kilowattheures (kWh), relevée ou estimée. Vérifiez la lettre « R » (relevé) ou « E » (estimé).",
         "- Les taxes et contributions : elles s'ajoutent à l'abonnement et à la consommation.",
         "- L'échéancier : si vous êtes mensualisé, une facture de régularisation arrive une fois par an.",
         "Un doute ? Comparez avec la facture de l'an dernier à la même période, puis parlez-en à votre gardien ou à votre conseillère énergie."],
        FOOTER),
    C + "energie-habitants/media/fiche-ecogestes.pdf": (
        "Fiche pratique : dix éco-gestes au quotidien",
        ["- Chauffer à 19 °C dans les pièces de vie, 17 °C dans les chambres.",
         "- Fermer les volets et les rideaux la nuit en hiver.",
         "- Aérer 5 à 10 minutes par jour, chauffage coupé dans la pièce.",
         "- Ne jamais boucher les grilles et bouches de ventilation.",
         "- Prendre une douche plutôt qu'un bain.",
         "- Poser un couvercle sur les casseroles.",
         "- Dégivrer le réfrigérateur et le congélateur.",
         "- Éteindre les appareils en veille avec une multiprise à interrupteur.",
         "- Remplir le lave-linge et laver à 30 °C.",
         "- Signaler vite une fuite ou un radiateur froid à votre gardien."],
        FOOTER),
    C + "energie-proximite/media/fiche-charges.pdf": (
        "Fiche pratique : expliquer la régularisation des charges",
        ["Chaque mois, le locataire verse une provision pour charges. Une fois par an, le bailleur compare ces provisions aux dépenses réelles : c'est la régularisation.",
         "- Si les dépenses sont plus élevées que les provisions : le locataire paie un complément.",
         "- Si elles sont plus faibles : le locataire est remboursé ou son compte est crédité.",
         "- Les justificatifs restent consultables pendant six mois après l'envoi du décompte.",
         "Pour répondre à une réclamation : écouter, reformuler, montrer le poste concerné sur le décompte, puis orienter vers le chargé de clientèle si besoin."],
        FOOTER),
    C + "energie-proximite/media/fiche-atelier.pdf": (
        "Fiche pratique : préparer un atelier éco-gestes",
        ["- Choisir un thème unique : le chauffage, l'eau, l'électricité ou l'aération.",
         "- Réserver une salle proche (local commun résidentiel) et un créneau adapté.",
         "- Inviter par affiche dans le hall et par un mot glissé dans les boîtes aux lettres.",
         "- Prévoir un objet à manipuler : thermomètre, mousseur, ampoule LED, multiprise.",
         "- Garder 10 minutes pour les questions et noter les demandes d'intervention.",
         "Durée conseillée : une heure, café compris. Huit à douze participants, c'est idéal."],
        FOOTER),
    C + "energie-maitrise-ouvrage/media/fiche-diagnostic.pdf": (
        "Fiche pratique : du diagnostic au programme de travaux",
        ["- Rassembler les données : plans, factures sur trois ans, contrats d'exploitation.",
         "- Faire réaliser le diagnostic de performance énergétique (DPE) et, si besoin, un audit.",
         "- Comparer au moins deux scénarios de travaux : gain en kWh/m².an, coût, impact sur les charges.",
         "- Associer les locataires dès le diagnostic : réunion d'information, visite de logements témoins.",
         "- Fixer des indicateurs de suivi avant le chantier, pour mesurer le gain réel après."],
        FOOTER),
    C + "energie-maitrise-ouvrage/media/fiche-site-occupe.pdf": (
        "Fiche pratique : un chantier en site occupé",
        ["- Désigner un interlocuteur unique pour les locataires, connu de tous.",
         "- Prévenir chaque intervention dans le logement au moins huit jours avant.",
         "- Protéger les meubles et les sols, nettoyer chaque soir.",
         "- Tenir un cahier de liaison dans la loge du gardien.",
         "- Repérer les personnes fragiles (âge, santé) et adapter le planning.",
         "- Faire une visite de fin de travaux logement par logement."],
        FOOTER),
    C + "accession-propriete/media/fiche-budget.pdf": (
        "Fiche pratique : mon budget de futur propriétaire",
        ["Avant d'acheter, comparez ce que vous payez aujourd'hui avec ce que vous paierez demain.",
         "- Aujourd'hui : loyer, charges locatives, assurance habitation.",
         "- Demain : mensualité du prêt, assurance emprunteur, charges de copropriété, taxe foncière, assurance.",
         "- Gardez une épargne de précaution, au moins trois mois de dépenses.",
         "- Le taux d'endettement se calcule ainsi : mensualités de tous les prêts divisées par les revenus nets mensuels.",
         "Votre conseiller accession vous aide gratuitement à faire ces calculs."],
        FOOTER),
}


def main(argv):
    for path, (title, paragraphs, footer) in SHEETS.items():
        if "--list" in argv:
            print(path)
            continue
        make_pdf(path, title, paragraphs, footer)
        print("wrote", path)


if __name__ == "__main__":
    main(sys.argv[1:])
