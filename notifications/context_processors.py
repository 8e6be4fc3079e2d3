def inbox(request):
    """The unread count shown in the admin header (one indexed count per admin page)."""
    user = getattr(request, "user", None)
    if not (
        user and user.is_authenticated and user.is_staff and request.path.startswith("/admin/")
    ):
        return {}
    from .selectors import notification_unread_count

    return {"inbox_unread": notification_unread_count(actor=user)}
