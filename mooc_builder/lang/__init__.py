"""The languages mooc speaks to the people who run it, and the gettext catalogues every language's text comes
from (the theme's, for readers, and mooc's own, for authors)."""
