# The few words of an alert that are ours rather than the feed's.
alerts-untitled = Без заголовка
alerts-held_back = ещё { $count ->
        [one] { $count } совпадение
        [few] { $count } совпадения
       *[many] { $count } совпадений
    } — /recent
