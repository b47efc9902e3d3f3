"""The bounds of what an author's tree may hold, in one place: the loader refuses what lies outside them, with
the file, line and column, before anything is built; docs/BUILDS.md ("Builds are safe") states them for authors.

Each bound is what the course format means, with room to spare, not a guess at what a machine can bear: a
week of a course is a week of a session (ten years at most), a duration is a video's or a sequence's, a date
is a session's. Inside them, every later stage (sessions' week dates, the calendar, quiz scores in the
browser, JSON) computes without overflow and with exact numbers.
"""

from __future__ import annotations

# Text files an author writes (site.yml, course.yml, a sequence, a quiz, a transcript, captions). A sequence
# is a few minutes of reading: 2 MB is some 300,000 words. Larger files are refused before being read, so a
# wrong file (a video renamed .md, a device, a log) costs nothing.
MAX_TEXT_BYTES = 2_000_000

# A course runs over weeks: week numbers and the number of weeks of an effort, from 1 to ten years.
MAX_WEEKS = 520

# What a question is worth, and how many attempts a quiz allows (0: no limit).
MAX_POINTS = 1000
MAX_ATTEMPTS = 1000

# A video's or a sequence's duration, and the effort of a week (which has 168 hours).
MAX_DURATION_HOURS = 24
MAX_WEEKLY_HOURS = 168

# Dates (sessions, enrolment, --as-of): years a session can mean. With MAX_WEEKS after the last one, every date
# the site computes stays far inside what Python's dates and browsers' Date hold.
FIRST_YEAR = 1900
LAST_YEAR = 2999

# Numbers in quiz answers and tolerances: at most 15 significant digits (what a double holds exactly, as the
# browser scores it), and at most this in size.
MAX_DIGITS = 15
MAX_NUMBER = 1e12

# The parts of a question a learner answers on one screen (matching, ordering, cloze, hotspot): far more than a
# question asks, and a bound on what a page holds (each left side of a matching question lists every right side:
# its page grows as the square of its pairs) and on the work of shuffling and scoring them.
MAX_PAIRS = 100
MAX_ITEMS = 100
MAX_ZONES = 100
MAX_BLANKS = 500
MAX_BLANK_ANSWERS = 100  # the answers of a blank to type in, or the options of a list
MAX_CORNERS = 1000  # of a polygon zone: an outline traced by hand has a few dozen

# A whole number as written: more digits than this is refused before Python converts it (it refuses over
# 4,300 digits itself, with an exception).
MAX_INTEGER_DIGITS = 12

# A light video variant's settings (light_videos: in site.yml or course.yml): from a phone's smallest picture
# to full HD, and bit rates an encoder honours.
MIN_LIGHT_HEIGHT = 144
MAX_LIGHT_HEIGHT = 1080
MIN_VIDEO_KBPS = 50
MAX_VIDEO_KBPS = 8000
MIN_AUDIO_KBPS = 24
MAX_AUDIO_KBPS = 320
