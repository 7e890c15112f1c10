settings-text =
    ⚙️ <b>Настройки</b>
    Язык: { $language }
    Часовой пояс: { $timezone }
    Оповещения: { $mode }
settings-saved = Сохранено
settings-pick_zone = Выберите часовой пояс:
lang-ru = Русский
lang-en = English
mode-instant = сразу, со звуком
mode-silent = сразу, без звука
btn-zone = 🕐 Часовой пояс
btn-mode_instant = 🔔 Со звуком
btn-mode_silent = 🔕 Без звука
btn-back = ← Назад
