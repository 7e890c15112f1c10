recent-delivered_header = 🕑 Latest news for your subscriptions, page { $page }:
recent-delivered_empty = No news for your subscriptions yet. Search all news: <code>/recent Лавров</code>
recent-search_header =
    🔎 <b>{ $query }</b>
    News of the last { $days } days, page { $page }:
recent-search_empty =
    🔎 <b>{ $query }</b>
    Nothing found in the last { $days } days.
recent-scan_note = Searched the latest { $scanned ->
        [one] { $scanned } news item
       *[other] { $scanned } news items
    }; for older ones narrow the query.
recent-item =
    { $n }. { $title }
    <i>{ $source }{ $when }{ $sources }</i>
recent-sources = { $count ->
        [one] { $count } source
       *[other] { $count } sources
    }
recent-no_page = Nothing more
btn-prev = ← Newer
btn-next = Older →
