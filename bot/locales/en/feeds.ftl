feeds-header = 📰 <b>Feeds of this chat</b>
feeds-line = { $mark } <b>{ $title }</b> — { $health }
feeds-own = own
feeds-ok = updated { $when }
feeds-never = not fetched yet
feeds-failing = error: { $error } ({ $count ->
        [one] once
       *[other] { $count } times in a row
    })
feeds-disabled = switched off
feeds-hint = Your own feed or a public Telegram channel: <code>/addfeed https://…</code>, <code>/addfeed @channel</code> (up to { $limit }). Delete yours or switch a default off: /delfeed
feeds-empty = No feeds. Add one: <code>/addfeed https://…</code> or a Telegram channel: <code>/addfeed @channel</code>
delfeed-ask = Which feed should I delete or switch off?
btn-feed_delete = 🗑 { $title }
btn-feed_disable = 🔕 Switch off: { $title }
btn-feed_enable = 🔔 Switch on: { $title }
cb-feed_deleted = Feed deleted
cb-feed_disabled = Feed switched off
cb-feed_enabled = Feed switched on
cb-stale_feed = This feed is gone
addfeed-usage = Send the address of a feed or a public Telegram channel: <code>/addfeed https://example.com/rss</code>, <code>/addfeed @channel</code>
addfeed-added = ✅ Feed <b>{ $title }</b> added; it has { $count ->
        [one] { $count } item
       *[other] { $count } items
    } now. New ones will be checked against your subscriptions.
addfeed-already = This feed is already on: /feeds
addfeed-invalid_url = That is not a feed address: an http:// or https:// URL is needed.
addfeed-limit = This chat already has { $limit ->
        [one] { $limit } own feed
       *[other] { $limit } own feeds
    }, the limit. Delete some: /delfeed
addfeed-checking = ⏳ Checking the feed { $url }…
addfeed-busy = I am still checking the feed { $url }. Send the next one once I have answered.
addfeed-forbidden = This address cannot be used: it points into a private network or at a special address, and such feeds cannot be added.
addfeed-unreachable = Could not reach the site: the address does not resolve or the server does not answer. Check the address and try again later.
addfeed-http_error = The site answered with error { $status }: there is no feed at this address now.
addfeed-too_big = The feed is too big to be added.
addfeed-not_a_feed = This address is not an RSS or Atom feed.
addfeed-empty = The feed has no items.
feeds-cut = ✂️ more than { $limit ->
        [one] { $limit } item
       *[other] { $limit } items
    } a day: { $count ->
        [one] { $count } new item was not stored
       *[other] { $count } new items were not stored
    }
feeds-clipped = ✂️ long texts are cut to { $limit ->
        [one] { $limit } character
       *[other] { $limit } characters
    }
feeds-poll = ⏱ checked every { $every }: { $why }
feeds-every-seconds = { $count ->
        [one] { $count } second
       *[other] { $count } seconds
    }
feeds-every-minutes = { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
feeds-every-hours = { $count ->
        [one] { $count } hour
       *[other] { $count } hours
    }
feeds-why-no_history = not enough history yet, the usual interval
feeds-why-learnt = follows how often it publishes
feeds-why-min = publishes a lot, checked as often as allowed
feeds-why-max = publishes rarely, checked as seldom as allowed
feeds-why-ttl = as often as the feed itself asks
feeds-why-fixed = fixed interval
feeds-why-backoff = waiting longer after errors
