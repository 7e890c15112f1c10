settings-text =
    ⚙️ <b>Настройки</b>
    Язык: { $language }
    Часовой пояс: { $timezone }
    Оповещения: { $mode }
    Сюжеты: { $stories }
    Доставка: { $schedule }
    Тихие часы: { $quiet }
settings-saved = Сохранено
settings-pick_zone = Выберите часовой пояс:
lang-ru = Русский
lang-en = English
mode-instant = сразу, со звуком
mode-silent = сразу, без звука
btn-zone = 🕐 Часовой пояс
btn-mode_instant = 🔔 Со звуком
btn-mode_silent = 🔕 Без звука
stories-on = одно оповещение на сюжет, другие источники дописываются в него без звука
stories-off = выключены, каждая новость — отдельное оповещение
btn-stories_on = 🗂 По сюжетам
btn-stories_off = 📰 Каждая новость
btn-back = ← Назад
settings-type_zone = Или напишите свой: <code>/timezone Asia/Almaty</code>, <code>/timezone UTC+5</code>.
settings-bad_zone = Не знаю часового пояса «{ $zone }». Напишите название из базы часовых поясов, например <code>/timezone Asia/Almaty</code> или <code>/timezone Europe/Paris</code>, или смещение в целых часах: <code>/timezone UTC+5</code>.
settings-zone_saved = 🕐 Часовой пояс: { $timezone }. Время в оповещениях теперь по нему.
cmd-timezone = часовой пояс: /timezone Asia/Almaty
zone-Europe_Kaliningrad = Калининград
zone-Europe_Moscow = Москва
zone-Europe_Samara = Самара
zone-Asia_Yekaterinburg = Екатеринбург
zone-Asia_Omsk = Омск
zone-Asia_Novosibirsk = Новосибирск
zone-Asia_Krasnoyarsk = Красноярск
zone-Asia_Irkutsk = Иркутск
zone-Asia_Yakutsk = Якутск
zone-Asia_Vladivostok = Владивосток
zone-Asia_Magadan = Магадан
zone-Asia_Kamchatka = Камчатка
zone-Europe_Minsk = Минск
zone-Europe_Kyiv = Киев
zone-Asia_Almaty = Алматы
zone-Europe_Berlin = Берлин
zone-Europe_London = Лондон
schedule-instant = сразу
schedule-hourly = дайджестом раз в час
schedule-daily = дайджестом раз в день в { $time }
quiet-none = нет (<code>/quiet 23-8</code>)
quiet-range = { $start }–{ $end }
btn-schedule_instant = ⚡ Сразу
btn-schedule_hourly = 🕐 Раз в час
btn-schedule_daily = 📅 Раз в день
btn-quiet_off = 🌙 Выключить тихие часы
cmd-quiet = тихие часы: /quiet 23-8
cmd-digest = дайджест: /digest 9:00, /digest hourly
