"""/cmo: channel visibility, OTA sequencing and blast campaign ROI for the selected scope."""

from dashboard import report_page

report_page.show("cmo")
