from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from core.validators import MOBILE_RE, normalize_phone


class PhoneOrUsernameBackend(ModelBackend):
    """Sign in with a username or a mobile number, and a password.

    django-axes runs before this backend (AUTHENTICATION_BACKENDS), so `authenticate()` must
    be given the request; lock-outs are counted per username+address.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        login = username.strip()
        User = get_user_model()
        condition = Q(username=login)
        phone = normalize_phone(login)
        if MOBILE_RE.match(phone):
            condition |= Q(phone=phone)
        candidates = list(User.objects.filter(condition)[:2])
        if len(candidates) != 1:
            # Run the hasher anyway so that unknown logins take as long as known ones.
            User().set_password(password)
            return None
        user = candidates[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def lockout_username(request, credentials=None):
    """The name django-axes counts failures under (AXES_USERNAME_CALLABLE).

    One account can be reached by its username and by its phone number: both count against
    the account's username, so switching between them does not double the attempts allowed.
    """
    login = (credentials or {}).get("username")
    if login is None and request is not None:
        login = request.POST.get("username", "")
    login = (login or "").strip()
    phone = normalize_phone(login)
    if MOBILE_RE.match(phone):
        User = get_user_model()
        username = User.objects.filter(phone=phone).values_list("username", flat=True).first()
        return username or phone
    return login
