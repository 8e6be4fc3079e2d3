"""Reporting upward 上报事项: the street's lists for the district and the party committee."""
