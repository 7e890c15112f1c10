channels-added = ✅ Channel <b>{ $title }</b> added: { $count ->
        [0] no posts on its page yet
        [one] { $count } post on its page
       *[other] { $count } posts on its page
    }. New ones will be checked against your subscriptions.
addfeed-channel_link = This is a Telegram link, but not to a public channel: invitations, private channels, groups and bots cannot be followed. A public channel is needed: <code>/addfeed @channel_name</code> or <code>/addfeed https://t.me/channel_name</code>.
addfeed-channel_private = This channel cannot be followed: Telegram does not show its posts outside the app. It is private, its web preview is off, or there is no channel by that name. Check the name.
addfeed-channel_unreadable = Could not read the channel's page: Telegram seems to have changed how it is built. Try again later.
