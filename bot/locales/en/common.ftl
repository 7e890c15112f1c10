cb-stale_sub = This subscription has already been deleted
cb-stale = This button is out of date
cb-not_admin = Only the group's administrators can do this
admin-only = In a group only its administrators may change subscriptions, feeds and settings.
unknown-command = I do not know the command { $command }. All commands and how to write queries: /help
