"""No task of its own: follow-up reminders go out through the one reminder sweep
(notifications.tasks runs `reminders_sweep` each minute; disputes registers FollowUpClock)."""
