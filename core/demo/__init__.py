"""The demo street generator behind `manage.py load_demo` (fictional, deterministic)."""
