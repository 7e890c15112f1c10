recent-delivered_header = 🕑 Последние новости по подпискам, стр. { $page }:
recent-delivered_empty = Новостей по вашим подпискам пока не было. Поиск по всем новостям: <code>/recent Лавров</code>
recent-search_header =
    🔎 <b>{ $query }</b>
    Новости за { $days } дн., стр. { $page }:
recent-search_empty =
    🔎 <b>{ $query }</b>
    За { $days } дн. ничего не нашлось.
recent-scan_note = { $scanned ->
        [one] Просмотрена последняя { $scanned } новость
        [few] Просмотрены последние { $scanned } новости
       *[many] Просмотрены последние { $scanned } новостей
    }; более ранние — уточните запрос.
recent-item =
    { $n }. { $title }
    <i>{ $source }{ $when }{ $sources }</i>
recent-sources = { $count ->
        [one] { $count } источник
        [few] { $count } источника
       *[many] { $count } источников
    }
recent-no_page = Больше ничего нет
btn-prev = ← Новее
btn-next = Старее →
