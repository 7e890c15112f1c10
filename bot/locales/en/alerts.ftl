# The few words of an alert that are ours rather than the feed's.
alerts-untitled = Untitled
alerts-held_back = { $count ->
        [one] { $count } more match
       *[other] { $count } more matches
    } — /recent
