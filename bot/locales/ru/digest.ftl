# Digests (issue 16): held alerts in one message, grouped by subscription, newest first.
digest-title = 🗞 <b>Дайджест: { $count ->
        [one] { $count } сюжет
        [few] { $count } сюжета
       *[many] { $count } сюжетов
    }</b>
digest-quiet_title = 🌙 <b>Пока были тихие часы: { $count ->
        [one] { $count } сюжет
        [few] { $count } сюжета
       *[many] { $count } сюжетов
    }</b>
digest-more_title = 🗞 <b>Дайджест, продолжение: { $count ->
        [one] { $count } сюжет
        [few] { $count } сюжета
       *[many] { $count } сюжетов
    }</b>
digest-group = 📌 <b>{ $query }</b>
digest-line = • { $title }
    <i>{ $source }{ $when }{ $sources }</i>
digest-sources = { $count ->
        [one] { $count } источник
        [few] { $count } источника
       *[many] { $count } источников
    }
digest-untitled = Без заголовка
quiet-saved = 🌙 Тихие часы: { $start }–{ $end } ({ $timezone }). Новости за это время придут одним дайджестом в { $end }; срочные подписки (<code>/sub !запрос</code>) — сразу.
quiet-off = Тихие часы выключены; отложенное придёт сейчас.
quiet-bad = Не понял «{ $typed }». Напишите часы так: <code>/quiet 23-8</code> или <code>/quiet 23:30-07:45</code>; <code>/quiet off</code> выключает.
quiet-usage = Тихие часы: { $current }. Задать: <code>/quiet 23-8</code>, выключить: <code>/quiet off</code>. Новости за тихие часы приходят одним дайджестом в их конце, срочные подписки — сразу.
urgent-marked = 🚨 Срочно: { $queries } — придёт сразу, даже в тихие часы и при дайджесте.
btn-urgent_on = 🚨 { $n }: срочно
btn-urgent_off = ✓ 🚨 { $n }: срочно
cb-urgent_on = Срочная: приходит сразу, даже в тихие часы
cb-urgent_off = Больше не срочная
digest-saved_daily = 📅 Дайджест раз в день в { $time } ({ $timezone }): новости копятся и приходят одним сообщением. Срочные подписки — сразу. Вернуть как было: <code>/digest off</code>.
digest-saved_hourly = 🕐 Дайджест раз в час: новости приходят одним сообщением в начале каждого часа. Срочные подписки — сразу. Вернуть как было: <code>/digest off</code>.
digest-saved_off = ⚡ Новости снова приходят сразу; накопленное придёт сейчас.
digest-bad = Не понял «{ $typed }». Напишите <code>/digest 9:00</code> (раз в день в это время), <code>/digest hourly</code> (раз в час) или <code>/digest off</code>.
digest-usage = Доставка: { $current }. <code>/digest 9:00</code> — дайджест раз в день в это время, <code>/digest hourly</code> — раз в час, <code>/digest off</code> — сразу.
