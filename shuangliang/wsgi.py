"""WSGI entry point for gunicorn."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuangliang.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules and templates' code) lives as
# long as the process: keep it out of the garbage collector's scans, so a collection during
# a request walks only what requests allocated.
gc.freeze()
