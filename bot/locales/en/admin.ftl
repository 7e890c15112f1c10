stats-text =
    📊 <b>Statistics</b>
    Chats: { $chats } (active { $active }, paused { $paused })
    Subscriptions: { $subscriptions }
    Feeds: { $feeds } (failing { $failing })
    Items in the last day: { $items_day }
    Queue: pending { $pending }, held { $held }, sent { $sent }, failed { $failed }
    Requests to feeds in the last hour: { $requests_hour }
stats-days =
    Per day (items / alerts):
    { $days }
stats-only_admins = This command is for the bot's administrators only.
