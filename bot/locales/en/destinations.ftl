# Channels configured from a private chat, and forum topics.
cmd-chat = which chat to configure: this one or your channel
channel-offer = 📢 I was made an administrator of the channel «{ $channel }». Configure it from here? Then /sub, /list, /feeds, /settings and the other commands of this chat act on the channel, and alerts are posted in it. Choose the chat: /chat.
channel-offer_no_post = 📢 I was added to the channel «{ $channel }», but without the right to post messages: alerts could not reach it. Give me that right and I will offer to configure the channel.
channel-lost = 📢 I can no longer post in the channel «{ $channel }»: its alerts are stopped. To resume them, make me an administrator with the right to post messages again.
btn-channel_manage = Configure «{ $channel }»
chat-picker = Commands now act on: { $current }.
    Choose the chat to configure:
chat-picker_empty = Commands now act on: { $current }.
    No channels to configure: make me an administrator of a channel with the right to post messages and it will show here.
chat-current_private = this private chat
chat-current_channel = the channel «{ $channel }»
chat-only_private = Choosing the chat to configure works in your private chat with me: /chat.
chat-picked = 📢 Commands now act on the channel «{ $channel }»: /sub, /list, /feeds, /settings… Alerts will be posted in the channel. Back to this private chat: /chat.
chat-picked_private = Commands act on this private chat again.
btn-chat_private = 👤 Private chat
btn-chat_channel = 📢 { $channel }
target-header = 📢 Channel «{ $channel }»
rights-user_lost = ⛔ You are no longer an administrator of the channel «{ $channel }»: nothing was changed. Commands act on this private chat again.
rights-bot_lost = ⛔ I can no longer post in the channel «{ $channel }»: nothing was changed, and its alerts are stopped. Give me back the right to post messages and I will offer to configure the channel again.
rights-unknown = ⏳ Telegram could not tell me the rights in the channel «{ $channel }»: nothing was changed. Please try again a little later.
cb-target_stale = This channel can no longer be configured from here
cb-target_picked = Done
cb-channel_admins = In a channel only its administrators can do this
topics-gone = ℹ️ The topic «{ $topic }» was closed or deleted: its alerts now come here, nothing is lost.
list-topic = 🧵 Topic «{ $topic }»
list-group = 👥 All of the group's subscriptions, by topic:
list-in_topic = { $line } · topic «{ $topic }»
list-topic_empty = No subscriptions in this topic. <code>/sub query</code> in the topic and its alerts will come here.
btn-list_group = 👥 Whole group
btn-list_topic = 🧵 This topic
