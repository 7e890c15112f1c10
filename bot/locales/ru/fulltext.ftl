# Full text of articles (bot/fulltext): the mode of each feed in /feeds, its buttons.
fulltext-mode-auto = авто
fulltext-mode-always = всегда
fulltext-mode-never = никогда
fulltext-note = 📄 полный текст статей: { $mode }
fulltext-failed = 📄 страница статьи не прочитана: { $error }
fulltext-hint = 📄 Полный текст: «авто» — читать страницы статей, когда лента даёт только заголовок или лид; «всегда»; «никогда». Кнопка меняет режим.
btn-fulltext = 📄 { $title }: { $mode }
cb-fulltext = Полный текст: { $mode }
