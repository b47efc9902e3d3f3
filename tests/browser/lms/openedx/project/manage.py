"""manage.py for the XBlock SDK workbench with this folder's settings (the xblock-sdk wheel ships none)."""

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms_settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
