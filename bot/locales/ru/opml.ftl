# /export and /import: feeds as OPML, subscriptions as a text list.
export-no-feeds = В этом чате нет своих лент, выгружать нечего: стандартные ленты бот даёт каждому чату сам. Добавить свою — /addfeed, выгрузить подписки — <code>/export subs</code>.
export-opml-title = Ленты чата { $chat }
export-feeds-caption = { $count ->
        [one] { $count } своя лента
        [few] { $count } своих ленты
       *[many] { $count } своих лент
    } этого чата (стандартных в файле нет). Пришлите файл боту в другом чате или откройте в любой программе для чтения RSS.
export-no-subs = Подписок нет, выгружать нечего: <code>/sub запрос</code>.
export-list-header = Подписки чата { $chat } на { $date }. Одна строка — одна подписка, ⏸ — на паузе. Пришлите этот файл боту, чтобы восстановить их.
export-subs-caption = { $count ->
        [one] { $count } подписка
        [few] { $count } подписки
       *[many] { $count } подписок
    }, по одной в строке; ⏸ — на паузе. Пришлите файл боту, чтобы восстановить их здесь или в другом чате.
export-usage = <code>/export</code> — свои ленты файлом OPML, <code>/export subs</code> — подписки списком.
import-prompt = Пришлите файл OPML с лентами (.opml) или список подписок: файлом .txt или сообщением, по одному запросу в строке.
import-unknown-file = Я загружаю ленты из файла OPML (.opml, .xml) и подписки из текстового списка (.txt). Этот файл не из них, я его не открывал.
import-too-big = Файл больше { $kb } КБ, такой я не читаю. Разбейте его на части. Ничего не изменено.
import-download-failed = Не удалось получить файл от Telegram. Пришлите его ещё раз. Ничего не изменено.
import-list-encoding = Список не в кодировке UTF-8. Сохраните его в UTF-8 и пришлите снова. Ничего не изменено.
import-list-empty = В списке нет ни одного запроса: пришлите по одному запросу в строке.
import-busy = Я ещё загружаю ленты из предыдущего файла. Пришлите следующий, когда пришлю итог.
import-checking = ⏳ Проверяю { $count ->
        [one] { $count } ленту
        [few] { $count } ленты
       *[many] { $count } лент
    } из файла. Ботом можно пользоваться, итог пришлю отдельным сообщением.
import-feeds-summary = 📥 Ленты из файла: { $added }, { $already }, { $refused }.
import-feeds-added = { $count ->
        [one] добавлена { $count }
        [few] добавлены { $count }
       *[many] добавлено { $count }
    }
import-feeds-already = { $count ->
        [one] { $count } уже была подключена
       *[other] { $count } уже были подключены
    }
import-feeds-refused = { $count ->
        [one] { $count } не добавлена
        [few] { $count } не добавлены
       *[many] { $count } не добавлено
    }
import-duplicates = { $count ->
        [one] { $count } повтор в файле пропущен
        [few] { $count } повтора в файле пропущены
       *[many] { $count } повторов в файле пропущено
    }.
import-pages = { $count ->
        [one] { $count } ссылка на сайт без адреса ленты пропущена
        [few] { $count } ссылки на сайты без адреса ленты пропущены
       *[many] { $count } ссылок на сайты без адреса ленты пропущено
    }.
import-feeds-next = Новости из добавленных лент проверяю по вашим подпискам: /feeds
import-refused-head = <b>Не добавлены:</b>
import-refused-line = • { $url } — { $reason }
import-more = …и ещё { $count }
import-why-limit = в чате уже предел в { $limit ->
        [one] { $limit } свою ленту
        [few] { $limit } своих ленты
       *[many] { $limit } своих лент
    }
import-why-http_error = сайт ответил ошибкой { $status }
import-why-invalid_url = это не адрес http:// или https://
import-why-busy = чат в это время проверял другую ленту
import-why-forbidden = адрес во внутренней сети или служебный
import-why-unreachable = сайт не отвечает
import-why-too_big = лента слишком большая
import-why-not_a_feed = по адресу не RSS и не Atom
import-why-empty = в ленте нет ни одной новости
import-why-channel_link = ссылка Telegram, но не на публичный канал
import-why-channel_private = канал закрыт или не существует
import-why-channel_unreadable = страница канала не читается
import-why-other = не удалось проверить
import-subs-summary = 📥 Подписки из списка: { $added }, { $already }, { $refused }.
import-subs-added = { $count ->
        [one] добавлена { $count }
        [few] добавлены { $count }
       *[many] добавлено { $count }
    }
import-subs-already = { $count ->
        [one] { $count } уже была
       *[other] { $count } уже были
    }
import-subs-refused = { $count ->
        [one] { $count } не сохранена
        [few] { $count } не сохранены
       *[many] { $count } не сохранено
    }
import-subs-paused = { $count ->
        [one] { $count } из них на паузе, как в списке.
        [few] { $count } из них на паузе, как в списке.
       *[many] { $count } из них на паузе, как в списке.
    }
import-subs-next = Все подписки: /list
import-subs-refused-head = <b>Не сохранены:</b>
import-subs-line = • строка { $line }: <b>{ $query }</b> — { $reason }
import-subs-why-limit = в чате уже предел в { $limit ->
        [one] { $limit } подписку
        [few] { $limit } подписки
       *[many] { $limit } подписок
    }
import-opml-not_xml = Файл повреждён: это не XML. Ничего не добавлено.
import-opml-not_opml = Это не файл OPML: в нём нет списка лент. Ничего не добавлено.
import-opml-entities = В файле есть объявления XML (DOCTYPE, сущности): такие файлы я не открываю, так можно подложить вредную нагрузку. Выгрузите ленты из программы ещё раз. Ничего не добавлено.
import-opml-encoding = Файл не в той кодировке, что в нём указана. Сохраните его в UTF-8 и пришлите снова. Ничего не добавлено.
import-opml-too_many = В файле больше { $max } записей, такой я не читаю. Разбейте его на части. Ничего не добавлено.
import-opml-no_feeds = В файле OPML нет ни одной ленты (ни одного адреса xmlUrl). Ничего не добавлено.
