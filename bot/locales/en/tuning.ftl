tune-btn-why = ❓ Why
tune-btn-exclude = 🚫 Word
tune-btn-mute = 🔕 Story
tune-btn-unmute = 🔔 Story
tune-btn-more = ⋯
tune-btn-back = ← Back
tune-btn-pick_exclude = 🚫 From «{ $query }»
tune-btn-pick_more = { $query } ›
tune-btn-snooze_hour = ⏰ For { $span }
tune-btn-snooze_morning = ⏰ Till morning
tune-btn-unsub = 🗑 Unsubscribe
tune-btn-word = -{ $word }
tune-span-hours = { $count ->
        [one] { $count } hour
       *[other] { $count } hours
    }
tune-span-minutes = { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
tune-span-seconds = { $count ->
        [one] { $count } second
       *[other] { $count } seconds
    }
tune-cb-pick_exclude = Which subscription should drop a word?
tune-cb-words = Tap a word to exclude it from «{ $query }»
tune-cb-no_words = This item has no words worth excluding
tune-cb-word_gone = The list of words changed; pick a word again
tune-cb-excluded = Excluded: -{ $word }
tune-cb-not_excluded = The exclusion was not added
tune-cb-muted = Story hidden: its follow-ups will not come here
tune-cb-unmuted = The story is shown again
tune-cb-snoozed = Subscription snoozed
tune-cb-stale_alert = This alert is too old
tune-cb-write_me = Cannot reply: send /start to the bot in a private chat
tune-why-header = ❓ <b>Why this alert came</b>
tune-why-sub = 📌 <b>{ $query }</b>
tune-why-found = • { $term } — in the text: { $forms }
tune-why-found_title = • { $term } — in the headline: { $forms }
tune-why-as_name = (found as { $names })
tune-why-no_match = The query does not find this item any more: it was changed after the alert.
tune-why-reading = How the query reads:
tune-excluded = 🚫 The subscription <b>{ $old }</b> now excludes <b>-{ $word }</b>. It reads: <code>{ $query }</code> — items with «{ $word }» will not come through it any more.
tune-exclude_refused = ❌ <b>-{ $word }</b> was not added to <b>{ $query }</b>: { $error } Shorten the query: /unsub and /sub again.
tune-exclude_duplicate = ☑️ <b>-{ $word }</b> was not added: the subscription <b>{ $query }</b> already exists.
tune-snoozed = ⏰ The subscription <b>{ $query }</b> is snoozed until { $until }. To resume it earlier, press ▶️ in /list.
tune-list-snoozed = { $n }. { $query } — ⏰ until { $until }
