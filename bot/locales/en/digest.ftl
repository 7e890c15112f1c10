# Digests (issue 16): held alerts in one message, grouped by subscription, newest first.
digest-title = 🗞 <b>Digest: { $count ->
        [one] { $count } story
       *[other] { $count } stories
    }</b>
digest-quiet_title = 🌙 <b>While quiet hours lasted: { $count ->
        [one] { $count } story
       *[other] { $count } stories
    }</b>
digest-more_title = 🗞 <b>Digest, continued: { $count ->
        [one] { $count } story
       *[other] { $count } stories
    }</b>
digest-group = 📌 <b>{ $query }</b>
digest-line = • { $title }
    <i>{ $source }{ $when }{ $sources }</i>
digest-sources = { $count ->
        [one] { $count } source
       *[other] { $count } sources
    }
digest-untitled = Untitled
quiet-saved = 🌙 Quiet hours: { $start }–{ $end } ({ $timezone }). News in that time arrives as one digest at { $end }; urgent subscriptions (<code>/sub !query</code>) at once.
quiet-off = Quiet hours are off; what was held arrives now.
quiet-bad = I did not understand “{ $typed }”. Write the hours like <code>/quiet 23-8</code> or <code>/quiet 23:30-07:45</code>; <code>/quiet off</code> turns them off.
quiet-usage = Quiet hours: { $current }. Set: <code>/quiet 23-8</code>, turn off: <code>/quiet off</code>. News in quiet hours arrives as one digest when they end; urgent subscriptions at once.
urgent-marked = 🚨 Urgent: { $queries } — arrives at once, even in quiet hours and with digests.
btn-urgent_on = 🚨 { $n }: urgent
btn-urgent_off = ✓ 🚨 { $n }: urgent
cb-urgent_on = Urgent: arrives at once, even in quiet hours
cb-urgent_off = No longer urgent
digest-saved_daily = 📅 A daily digest at { $time } ({ $timezone }): news is collected and arrives as one message. Urgent subscriptions at once. Back to instant: <code>/digest off</code>.
digest-saved_hourly = 🕐 An hourly digest: news arrives as one message at the top of every hour. Urgent subscriptions at once. Back to instant: <code>/digest off</code>.
digest-saved_off = ⚡ News arrives at once again; what was collected arrives now.
digest-bad = I did not understand “{ $typed }”. Write <code>/digest 9:00</code> (daily at that time), <code>/digest hourly</code> or <code>/digest off</code>.
digest-usage = Delivery: { $current }. <code>/digest 9:00</code> — a daily digest at that time, <code>/digest hourly</code> — hourly, <code>/digest off</code> — at once.
