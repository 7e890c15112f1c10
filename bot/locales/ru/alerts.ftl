# The few words of an alert that are ours rather than the feed's.
alerts-untitled = Без заголовка
alerts-held_back = ещё { $count ->
        [one] { $count } совпадение
        [few] { $count } совпадения
       *[many] { $count } совпадений
    } — /recent
# The line listing other outlets' reports of the same story: «Также: ТАСС, РИА Новости, +2».
alerts-also = Также:
alerts-also_unnamed = без названия
alerts-also_more = +{ $count }
