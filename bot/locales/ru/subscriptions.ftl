sub-prompt = Напишите запрос: слово, «фразу в кавычках» или несколько запросов через запятую. /cancel — отмена.
sub-saved = ✅ <b>{ $query }</b>
sub-duplicate = ☑️ <b>{ $query }</b> — такая подписка уже есть.
sub-limit = ⛔ <b>{ $query }</b> — не сохранено: в чате уже { $limit ->
        [one] { $limit } подписка
        [few] { $limit } подписки
       *[many] { $limit } подписок
    }, это предел. Удалите лишние в /list.
sub-invalid = ❌ <b>{ $query }</b> — { $error }
sub-footer = Подписка работает сразу: пришлю следующую подходящую новость. Все подписки — /list, поиск по уже вышедшим — /recent запрос.
sub-nothing = Не вижу запроса. Пример: <code>/sub Лавров</code>
desc-line = • { $text } — { $meaning }
desc-negated = • без { $text } — { $meaning }
desc-or = или:
desc-word = любые формы: { $examples }…
desc-word_plain = любые формы слова
desc-word_guess = слова нет в словаре, формы угадываю по окончаниям
desc-name = имя или название, любые формы: { $examples }…
desc-name_plain = имя или название, любые формы
desc-abbreviation = сокращение: только это слово, в том числе с окончанием («{ $text }е», «{ $text }а»)
desc-exact = точно это, целиком
desc-english = английское слово, любые формы
desc-phrase = фраза: слова подряд и по порядку, каждое в любой форме
desc-prefix = любое слово, которое начинается на «{ $prefix }»
desc-spelling = латинское написание имени, как есть
desc-also = • { $text } — также: { $names }. Без них: <code>{ $exact }</code>
desc-also_negated = • без { $text } — и без: { $names }
desc-also_more = { $count ->
        [one] и ещё { $count } название
        [few] и ещё { $count } названия
       *[many] и ещё { $count } названий
    }
qerr-empty = пустой запрос.
qerr-too_long = запрос длиной { $length ->
        [one] { $length } символ
        [few] { $length } символа
       *[many] { $length } символов
    }, а можно не больше { $limit }.
qerr-comma = запятая не входит в запрос: она разделяет подписки.
qerr-only_exclusions = в запросе только исключения (слова со знаком «-»): добавьте слово, которое нужно искать.
qerr-branch_only_exclusions = в варианте «{ $branch }» только исключения: у каждой стороны OR должно быть слово для поиска.
qerr-too_many_terms = в запросе { $count ->
        [one] { $count } слово
        [few] { $count } слова
       *[many] { $count } слов
    }, а можно не больше { $limit }.
qerr-unbalanced_quote = не закрыта кавычка: фразу пишите между двумя знаками ".
qerr-dangling_or = OR (или |) должен стоять между двумя вариантами, например «Лавров OR Песков».
qerr-empty_phrase = пустая фраза в кавычках: { $term }.
qerr-wildcard_in_phrase = { $term }: звёздочка работает в отдельном слове, а не внутри фразы в кавычках.
qerr-no_letters = в «{ $term }» нет ни букв, ни цифр.
qerr-bad_wildcard = { $term }: звёздочка ставится только в конце слова, например «санкц*».
qerr-prefix_too_short = { $term }: перед звёздочкой нужно не меньше { $min ->
        [one] { $min } буквы
       *[other] { $min } букв
    }.
qerr-unknown = запрос не разобрать: { $message }
list-empty = Подписок пока нет. Добавьте: <code>/sub Лавров</code>
list-header = 📋 Подписки: { $count } из { $limit }
list-line = { $n }. { $query }
list-line_paused = { $n }. { $query } — на паузе
list-chat_paused = ⏸ Все оповещения чата приостановлены: /resume
list-hint = Кнопки: ⏸ пауза, ▶️ возобновить, 🗑 удалить.
btn-pause = ⏸ { $n }. { $query }
btn-resume = ▶️ { $n }. { $query }
btn-delete = 🗑 { $n }
btn-unsub = 🗑 { $n }. { $query }
cb-paused = Подписка на паузе
cb-resumed = Подписка снова работает
cb-deleted = Подписка удалена
cb-subscribed = Готово
unsub-ask = Какую подписку удалить?
unsub-done = 🗑 Подписка <b>{ $query }</b> удалена.
unsub-no_number = Подписки с номером { $n } нет, { $count ->
        [one] есть только одна
        [few] их { $count }
       *[many] их { $count }
    }. Список — /list
unsub-not_found = Подписки «{ $query }» нет. Номера и тексты подписок — в /list
pause-done = ⏸ Оповещения приостановлены, подписки сохранены. Включить — /resume
pause-already = Оповещения уже на паузе. Включить — /resume
resume-done = ▶️ Оповещения снова включены.
resume-already = Оповещения и так включены.
cancel-done = Отменено.
cancel-nothing = Нечего отменять.
btn-alert_unsub = Отписаться: { $query }
btn-alert_similar = Похожие
btn-alert_similar_q = Похожие: { $query }
sub-more = { $count ->
        [one] … и ещё { $count } запрос: отправьте его отдельно.
        [few] … и ещё { $count } запроса: отправьте их отдельно.
       *[many] … и ещё { $count } запросов: отправьте их отдельно.
    }
