"""Reads of the leaders' dashboards: aggregates only, computed in the database."""

from .summary import dashboard_ranking, dashboard_summary, figures_for
from .trend import dashboard_trend

__all__ = ["dashboard_ranking", "dashboard_summary", "dashboard_trend", "figures_for"]
