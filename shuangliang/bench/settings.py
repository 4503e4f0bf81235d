"""Settings of the benchmark: the product's settings plus the bench app and its URLs.

Used only by `make bench` (DJANGO_SETTINGS_MODULE=shuangliang.bench.settings), so the
minimal reference view never exists in the product.
"""

from shuangliang.settings import *  # noqa: F403
from shuangliang.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "shuangliang.bench"]
ROOT_URLCONF = "shuangliang.bench.urls"
# Request logging would measure the console, not the application.
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# The appeal intake limits posts per client address; under load every post comes from one
# address, so the limit is lifted (the bucket is still read and written on every post).
APPEAL_RATE_LIMIT = (10**9, 1)
# Static files as production serves them: from the index taken at start-up, not looked up
# again on each request as the development server does.
WHITENOISE_AUTOREFRESH = False
