stats-text =
    📊 <b>Статистика</b>
    Чаты: { $chats } (активных { $active }, на паузе { $paused })
    Подписки: { $subscriptions }
    Ленты: { $feeds } (с ошибками { $failing })
    Новостей за сутки: { $items_day }
    Очередь: ждут { $pending }, задержано { $held }, отправлено { $sent }, не доставлено { $failed }
    Запросов к лентам за час: { $requests_hour }
stats-days =
    По дням (новости / оповещения):
    { $days }
stats-only_admins = Эта команда только для администраторов бота.
