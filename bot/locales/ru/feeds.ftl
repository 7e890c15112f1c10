feeds-header = 📰 <b>Ленты чата</b>
feeds-line = { $mark } <b>{ $title }</b> — { $health }
feeds-own = своя
feeds-ok = обновлена { $when }
feeds-never = ещё не загружалась
feeds-failing = ошибка: { $error } ({ $count ->
        [one] { $count } раз
        [few] { $count } раза
       *[many] { $count } раз
    } подряд)
feeds-disabled = выключена
feeds-hint = Своя лента или публичный канал Telegram: <code>/addfeed https://…</code>, <code>/addfeed @канал</code> (до { $limit }). Удалить свою или выключить общую — /delfeed
feeds-empty = Лент нет. Добавьте: <code>/addfeed https://…</code> или канал Telegram: <code>/addfeed @канал</code>
delfeed-ask = Какую ленту удалить или выключить?
btn-feed_delete = 🗑 { $title }
btn-feed_disable = 🔕 Выключить: { $title }
btn-feed_enable = 🔔 Включить: { $title }
cb-feed_deleted = Лента удалена
cb-feed_disabled = Лента выключена
cb-feed_enabled = Лента включена
cb-stale_feed = Этой ленты уже нет
addfeed-usage = Пришлите адрес ленты или публичного канала Telegram: <code>/addfeed https://example.com/rss</code>, <code>/addfeed @channel</code>
addfeed-added = ✅ Лента <b>{ $title }</b> добавлена, в ней сейчас { $count ->
        [one] { $count } новость
        [few] { $count } новости
       *[many] { $count } новостей
    }. Новые буду проверять по вашим подпискам.
addfeed-already = Эта лента уже подключена: /feeds
addfeed-invalid_url = Это не адрес ленты: нужен http:// или https:// адрес.
addfeed-limit = В чате уже { $limit ->
        [one] { $limit } своя лента
        [few] { $limit } своих ленты
       *[many] { $limit } своих лент
    }, это предел. Удалите лишние: /delfeed
addfeed-checking = ⏳ Проверяю ленту { $url }…
addfeed-busy = Я ещё проверяю ленту { $url }. Пришлите следующую, когда отвечу.
addfeed-forbidden = Этот адрес не подходит: он ведёт во внутреннюю сеть или на служебный адрес, такие ленты добавлять нельзя.
addfeed-unreachable = Не удалось связаться с сайтом: адрес не находится или сервер не отвечает. Проверьте адрес и попробуйте позже.
addfeed-http_error = Сайт ответил ошибкой { $status }: ленты по этому адресу сейчас нет.
addfeed-too_big = Лента слишком большая, такую добавить нельзя.
addfeed-not_a_feed = По этому адресу не лента RSS или Atom.
addfeed-empty = В ленте нет ни одной новости.
feeds-cut = ✂️ больше { $limit ->
        [one] { $limit } новости
       *[other] { $limit } новостей
    } за сутки: { $count ->
        [one] { $count } новая не сохранена
        [few] { $count } новые не сохранены
       *[many] { $count } новых не сохранено
    }
feeds-clipped = ✂️ длинные тексты обрезаются до { $limit ->
        [one] { $limit } знака
       *[other] { $limit } знаков
    }
feeds-poll = ⏱ проверяется раз в { $every }: { $why }
feeds-every-seconds = { $count ->
        [one] { $count } секунду
        [few] { $count } секунды
       *[many] { $count } секунд
    }
feeds-every-minutes = { $count ->
        [one] { $count } минуту
        [few] { $count } минуты
       *[many] { $count } минут
    }
feeds-every-hours = { $count ->
        [one] { $count } час
        [few] { $count } часа
       *[many] { $count } часов
    }
feeds-why-no_history = истории пока мало, обычный интервал
feeds-why-learnt = по тому, как часто она публикует
feeds-why-min = публикует много, проверяется так часто, как можно
feeds-why-max = публикует редко, проверяется так редко, как можно
feeds-why-ttl = так часто, как просит сама лента
feeds-why-fixed = постоянный интервал
feeds-why-backoff = после ошибок ждём дольше
