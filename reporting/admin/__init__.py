"""Admin of the lists sent upward: create a list, mark items on a draft list (a form by number),
submit, close and export as actions; the items' status moves as actions on the items list
(with a reason or a result note where the move needs one). Every write is one service call;
the rows are the selectors' (street admins' street, workers' communities, leaders' district)."""

from .items import ReportItemAdmin
from .reports import UpwardReportAdmin

__all__ = ["ReportItemAdmin", "UpwardReportAdmin"]
