"""Shuangliang, the Double Bright campaign platform."""

import os

# openpyxl parses uploaded workbooks with defusedxml only when lxml is not in use (lxml arrives
# with python-docx). This is set before anything imports openpyxl: importing this package is
# the first thing settings, manage.py, the WSGI application and the tests do.
os.environ["OPENPYXL_LXML"] = "False"
