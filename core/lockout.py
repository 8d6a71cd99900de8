"""django-axes' database handler, with a success that clears only its own account.

axes resets every attempt matching any lockout parameter on a successful sign-in; with
failures counted per address, that wipes the guesses at other accounts from the same
place: four wrong passwords for one account, a sign-in to one's own, and again, for
ever. Here a success clears only the signing-in account's failures from that address.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt


class AccountScopedHandler(AxesDatabaseHandler):
    def reset_user_attempts(self, request, credentials=None):
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count
