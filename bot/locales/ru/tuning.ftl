tune-btn-why = ❓ Почему
tune-btn-exclude = 🚫 Слово
tune-btn-mute = 🔕 Сюжет
tune-btn-unmute = 🔔 Сюжет
tune-btn-more = ⋯
tune-btn-back = ← Назад
tune-btn-pick_exclude = 🚫 Из «{ $query }»
tune-btn-pick_more = { $query } ›
tune-btn-snooze_hour = ⏰ На { $span }
tune-btn-snooze_morning = ⏰ До утра
tune-btn-unsub = 🗑 Отписаться
tune-btn-word = -{ $word }
tune-span-hours = { $count ->
        [one] { $count } час
        [few] { $count } часа
       *[many] { $count } часов
    }
tune-span-minutes = { $count ->
        [one] { $count } минуту
        [few] { $count } минуты
       *[many] { $count } минут
    }
tune-span-seconds = { $count ->
        [one] { $count } секунду
        [few] { $count } секунды
       *[many] { $count } секунд
    }
tune-cb-pick_exclude = Из какой подписки исключить слово?
tune-cb-words = Нажмите слово — оно станет исключением в «{ $query }»
tune-cb-no_words = В этой новости нет слов, которые стоит исключать
tune-cb-word_gone = Список слов обновился — выберите слово ещё раз
tune-cb-excluded = Исключено: -{ $word }
tune-cb-not_excluded = Исключение не добавлено
tune-cb-muted = Сюжет скрыт: его продолжения сюда не придут
tune-cb-unmuted = Сюжет снова показывается
tune-cb-snoozed = Подписка отложена
tune-cb-stale_alert = Это оповещение устарело
tune-cb-write_me = Ответ не отправить: напишите боту /start в личном чате
tune-why-header = ❓ <b>Почему пришло это оповещение</b>
tune-why-sub = 📌 <b>{ $query }</b>
tune-why-found = • { $term } — в тексте: { $forms }
tune-why-found_title = • { $term } — в заголовке: { $forms }
tune-why-as_name = (найдено как { $names })
tune-why-no_match = Сейчас этот запрос новость не находит: его изменили после оповещения.
tune-why-reading = Как понят запрос:
tune-excluded = 🚫 В подписку <b>{ $old }</b> добавлено исключение <b>-{ $word }</b>. Теперь она такая: <code>{ $query }</code> — новости со словом «{ $word }» по ней больше не придут.
tune-exclude_refused = ❌ Исключение <b>-{ $word }</b> не добавлено в <b>{ $query }</b>: { $error } Сократите запрос: /unsub и /sub заново.
tune-exclude_duplicate = ☑️ Исключение <b>-{ $word }</b> не добавлено: подписка <b>{ $query }</b> уже есть.
tune-snoozed = ⏰ Подписка <b>{ $query }</b> отложена до { $until }. Вернуть раньше — кнопка ▶️ в /list.
tune-list-snoozed = { $n }. { $query } — ⏰ до { $until }
