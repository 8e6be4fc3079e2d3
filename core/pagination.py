from rest_framework.pagination import CursorPagination, PageNumberPagination


class PagePagination(PageNumberPagination):
    """Page numbers with a total, for staff lists where a count matters."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 200


class FeedPagination(CursorPagination):
    """Cursor pagination for feeds and very large lists: constant cost at any depth."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
    ordering = "-created_at"
