"""Stand-in for Open edX's theme_pipeline tag library, which the block's popup.html loads ({% load
theme_pipeline %}) without using it; the workbench has none ("'theme_pipeline' is not a registered tag library")."""

from django import template

register = template.Library()
