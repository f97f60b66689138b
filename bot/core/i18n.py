"""Every user-facing string, in English and Chinese, and how a chat's language is chosen."""

from __future__ import annotations

from datetime import datetime

LANGUAGES = ("en", "zh")

_STRINGS: dict[str, dict[str, str]] = {
    "welcome": {
        "en": "👋 Hi {name}! I'm your study companion. I quiz you on deep-learning interview questions "
        "from {cards} cards in {decks} decks, keep your score and this chat's leaderboard.",
        "zh": "👋 你好，{name}！我是你的学习伙伴：从 {decks} 个题库的 {cards} 张卡片里出深度学习面试题，"
        "记录你的得分和本群排行榜。",
    },
    "help_title": {"en": "**Commands**", "zh": "**命令**"},
    "help_scoring": {
        "en": "**Scoring**: a right answer to the daily question earns {daily_points} points, to /quiz "
        "{quiz_points}; a wrong one 0. Answering the same card again on the same day earns nothing, so "
        "repeating /quiz can't farm points. In a /round, a right answer also earns a speed bonus of up to "
        "{quiz_points} more. A streak counts the daily questions you answered in a row.",
        "zh": "**计分**：每日一题答对得 {daily_points} 分，/quiz 答对得 {quiz_points} 分，答错 0 分。"
        "同一天再次回答同一张卡片不得分，刷题拿不到分。/round 抢答中答对另有最多 {quiz_points} 分的速度加分。"
        "连续答题天数按每日一题计算。",
    },
    # what follows a command's name in /help (optional per command; every command needs `command_<name>`)
    "args_leaderboard": {"en": " [today|week|month|all]", "zh": " [today|week|month|all]（时段）"},
    "args_daily": {
        "en": " set 09:00 [time zone] | status | now | off",
        "zh": " set 09:00 [时区] | status | now | off",
    },
    "args_decks": {"en": " [use 1 3 | all]", "zh": " [use 1 3 | all]（题库编号）"},
    "args_search": {"en": " words", "zh": " 关键词"},
    "args_upload": {"en": " [name] (as a file's caption)", "zh": " [名称]（作为文件的说明）"},
    "args_export": {"en": " [deck] [csv]", "zh": " [题库] [csv]"},
    "args_card": {"en": " id", "zh": " 编号"},
    "args_study": {"en": " [deck]", "zh": " [题库]"},
    "args_answer": {"en": " your words (or a letter)", "zh": " 你的答案（或选项字母）"},
    "args_remind": {"en": " 20:00 [time zone] | off", "zh": " 20:00 [时区] | off"},
    "args_as": {"en": " NAME", "zh": " 名字"},
    "args_lang": {"en": " zh | en", "zh": " zh | en（中文或英文）"},
    "args_round": {"en": " [questions] [decks] | stop | time 20", "zh": " [题数] [题库] | stop | time 20"},
    "args_stats": {"en": " [group]", "zh": " [group]（本群统计）"},
    "quiz_question": {"en": "❓ **Question** · {deck}", "zh": "❓ **题目** · {deck}"},
    "quiz_prompt": {"en": "Choose the right option.", "zh": "请选择正确答案。"},
    "no_cards": {
        "en": "This chat's decks have no fair multiple-choice questions (answers that are long lists or "
        "several parts would make unfair options). Study them as flashcards with /study, or try /decks all.",
        "zh": "本群选用的题库里没有适合出选择题的卡片（答案是长列表或包含多个部分时，选项会不公平）。"
        "可以用 /study 以闪卡方式学习，或试试 /decks all。",
    },
    "round_over": {
        "en": "🔁 This chat has seen all {count} questions of its decks: they come round again from here.",
        "zh": "🔁 本群已做完所选题库的全部 {count} 道题，接下来从头再出一遍。",
    },
    "answer_right": {"en": "✅ Right, {name}! +{points}", "zh": "✅ 答对了，{name}！+{points}"},
    "answer_right_no_points": {
        "en": "✅ Right, {name}! (no points: you answered this card earlier today)",
        "zh": "✅ 答对了，{name}！（今天已答过这张卡片，不再计分）",
    },
    "answer_wrong": {"en": "❌ Not quite, {name}.", "zh": "❌ 答错了，{name}。"},
    "right_option": {
        "en": "The right answer: **{letter}. {option}**",
        "zh": "正确答案：**{letter}. {option}**",
    },
    "reference_answer": {"en": "**Reference answer**", "zh": "**参考答案**"},
    "explanation": {"en": "**Explanation**", "zh": "**解析**"},
    "already_answered": {
        "en": "You already answered this question, {name}: your first answer counted.",
        "zh": "{name}，你已经答过这道题了：以第一次作答为准。",
    },
    "post_closed": {
        "en": "This question is closed. Ask for a new one with /quiz.",
        "zh": "这道题已经结束了。用 /quiz 再来一道。",
    },
    "post_unknown": {
        "en": "I can't find that question any more. Ask for a new one with /quiz.",
        "zh": "找不到这道题了。用 /quiz 再来一道。",
    },
    "no_open_quiz": {
        "en": "There's no open question here. Ask for one with /quiz.",
        "zh": "现在没有待回答的题目。用 /quiz 来一道。",
    },
    "bad_option": {
        "en": "Answer with a letter from A to {last}.",
        "zh": "请用 A 到 {last} 之间的字母作答。",
    },
    "score": {
        "en": "📊 **{name}** here: {points} · {correct}/{answered} right ({accuracy}%) · rank {rank} of {players}",
        "zh": "📊 **{name}** 在本群：{points} · 答对 {correct}/{answered}（{accuracy}%）· 第 {rank} 名，共 {players} 人",
    },
    "score_none": {
        "en": "📊 {name}, you haven't answered anything here yet. Try /quiz.",
        "zh": "📊 {name}，你在本群还没有作答记录。试试 /quiz。",
    },
    "leaderboard_title": {"en": "🏆 **Leaderboard**", "zh": "🏆 **排行榜**"},
    "leaderboard_line": {
        "en": "{rank}. {name}: {points} ({correct}/{answered})",
        "zh": "{rank}. {name}：{points}（答对 {correct}/{answered}）",
    },
    "leaderboard_you": {
        "en": "You: rank {rank} with {points}",
        "zh": "你：第 {rank} 名，{points}",
    },
    "leaderboard_empty": {
        "en": "No answers in this chat yet. Start with /quiz!",
        "zh": "本群还没有人作答。用 /quiz 开始吧！",
    },
    "decks_title": {"en": "📚 **Decks** (✅ = used here)", "zh": "📚 **题库**（✅ = 本群使用中）"},
    "decks_line": {
        "en": "{mark} {number}. {title} · {count} cards",
        "zh": "{mark} {number}. {title} · {count} 张",
    },
    "decks_line.one": {
        "en": "{mark} {number}. {title} · {count} card",
        "zh": "{mark} {number}. {title} · {count} 张",
    },
    "decks_hint": {
        "en": "Choose with `/decks use 1 3` or `/decks all`, or pick a deck below to switch it on or off.",
        "zh": "用 `/decks use 1 3` 或 `/decks all` 选择，或选下面的题库切换开关。",
    },
    "decks_unknown": {
        "en": "I don't know the deck {names}. See the list with /decks.",
        "zh": "没有题库 {names}。用 /decks 查看列表。",
    },
    "decks_need_one": {
        "en": "Keep at least one deck switched on.",
        "zh": "至少要保留一个题库。",
    },
    "decks_usage": {
        "en": "Use `/decks`, `/decks use 1 3` (numbers or names) or `/decks all`.",
        "zh": "用法：`/decks`、`/decks use 1 3`（编号或名称）或 `/decks all`。",
    },
    "decks_line_own": {
        "en": "{mark} {number}. 📎 {title} · {count} cards (uploaded here)",
        "zh": "{mark} {number}. 📎 {title} · {count} 张（本群上传）",
    },
    "decks_line_own.one": {
        "en": "{mark} {number}. 📎 {title} · {count} card (uploaded here)",
        "zh": "{mark} {number}. 📎 {title} · {count} 张（本群上传）",
    },
    "decks_own_hint": {
        "en": "Add your own: send a file with the caption /upload (.md, .txt, .csv, .tsv, .apkg); `/decks remove 6` deletes an uploaded deck; /export sends one to Anki.",
        "zh": "添加自己的题库：发送文件并附上说明 /upload（.md、.txt、.csv、.tsv、.apkg）；`/decks remove 6` 删除上传的题库；/export 导出到 Anki。",
    },
    "upload_usage": {
        "en": "Send a file (.md, .markdown, .txt, .csv, .tsv or .apkg, up to {megabytes} MB) with the caption `/upload [name]`, or reply `/upload` to a file.",
        "zh": "发送文件（.md、.markdown、.txt、.csv、.tsv 或 .apkg，不超过 {megabytes} MB）并附上说明 `/upload [名称]`，或对文件回复 `/upload`。",
    },
    "upload_bad_type": {
        "en": "I can't read {file} files. Send .md, .markdown, .txt, .csv, .tsv or .apkg.",
        "zh": "无法读取 {file} 类型的文件。请发送 .md、.markdown、.txt、.csv、.tsv 或 .apkg。",
    },
    "upload_too_big": {
        "en": "That file is over {megabytes} MB; split it into smaller decks.",
        "zh": "文件超过 {megabytes} MB，请拆分成更小的题库。",
    },
    "upload_empty": {"en": "That file is empty.", "zh": "这个文件是空的。"},
    "upload_too_often": {
        "en": "This chat uploaded {limit} files in the last minute; wait a minute and send it again.",
        "zh": "本群一分钟内已上传 {limit} 个文件，请稍等一分钟再发。",
    },
    "upload_too_many_decks": {
        "en": "This chat already has {limit} uploaded decks; remove one with `/decks remove <number>` first.",
        "zh": "本群已有 {limit} 个上传的题库，请先用 `/decks remove <编号>` 删除一个。",
    },
    "upload_bundled_name": {
        "en": "A bundled deck is already called {name}; add another name: `/upload other-name`.",
        "zh": "已有内置题库叫 {name}，请换个名称：`/upload 新名称`。",
    },
    "upload_failed_download": {
        "en": "I couldn't download that file; please send it again.",
        "zh": "文件下载失败，请重新发送。",
    },
    "upload_refused": {
        "en": "❌ {file} was not added: {reason}. Nothing changed.",
        "zh": "❌ 未添加 {file}：{reason}。没有任何改动。",
    },
    "upload_reason_binary": {
        "en": "it looks like a binary file (an archive or a database), not a text document",
        "zh": "这看起来是二进制文件（压缩包或数据库），不是文本文档",
    },
    "upload_reason_not_utf8": {
        "en": "line {line} is not UTF-8 text; save the file as UTF-8",
        "zh": "第 {line} 行不是 UTF-8 文本，请把文件另存为 UTF-8 编码",
    },
    "upload_reason_not_apkg": {
        "en": "this is not an Anki package (not a zip archive)",
        "zh": "这不是 Anki 包（不是 zip 压缩包）",
    },
    "upload_reason_zip_not_apkg": {
        "en": "this zip archive is not an Anki package (no collection inside)",
        "zh": "这个 zip 压缩包不是 Anki 包（里面没有卡片集合）",
    },
    "upload_reason_zip_bomb": {
        "en": "this archive unpacks to far more than it holds (a zip bomb?); refused",
        "zh": "这个压缩包解压后远大于它本身（疑似 zip 炸弹），已拒绝",
    },
    "upload_reason_apkg_new_format": {
        "en": "this package uses Anki's newer compressed format; export it from Anki with "
        "'Support older Anki versions' ticked",
        "zh": "这个包使用了 Anki 的新压缩格式；请在 Anki 导出时勾选“Support older Anki versions”（支持旧版 Anki）",
    },
    "upload_reason_apkg_damaged": {
        "en": "the Anki package is damaged or cannot be read",
        "zh": "这个 Anki 包已损坏或无法读取",
    },
    "upload_no_cards": {
        "en": "no questions found in it",
        "zh": "没有找到题目",
    },
    "upload_too_many_cards": {
        "en": "it has {cards} cards, over the limit of {limit} per deck",
        "zh": "共 {cards} 张卡片，超过每个题库 {limit} 张的上限",
    },
    "upload_done": {
        "en": "✅ Deck **{title}** (`{name}`) added for this chat: {cards}, {quizzable} with multiple choice.",
        "zh": "✅ 已为本群添加题库 **{title}**（`{name}`）：{cards}，其中 {quizzable} 张可出选择题。",
    },
    "upload_replaced": {
        "en": "✅ Deck **{title}** (`{name}`) replaced: {cards}, {quizzable} with multiple choice; {kept}.",
        "zh": "✅ 已替换题库 **{title}**（`{name}`）：{cards}，其中 {quizzable} 张可出选择题；{kept}。",
    },
    "upload_kept": {
        "en": "{count} unchanged questions keep their history",
        "zh": "{count} 道未改动的题目保留作答记录",
    },
    "upload_kept.one": {
        "en": "{count} unchanged question keeps its history",
        "zh": "{count} 道未改动的题目保留作答记录",
    },
    "upload_warnings": {"en": "⚠️ Warnings:", "zh": "⚠️ 提示："},
    "upload_more_warnings": {"en": "… and {more} more", "zh": "……另有 {more} 条"},
    "remove_usage": {
        "en": "Use `/decks remove <number>` with the number of an uploaded deck (📎) from /decks.",
        "zh": "用法：`/decks remove <编号>`，编号为 /decks 中上传的题库（📎）。",
    },
    "remove_bundled": {
        "en": "{title} is a bundled deck; only decks uploaded in this chat can be removed.",
        "zh": "{title} 是内置题库，只能删除本群上传的题库。",
    },
    "remove_confirm": {
        "en": "Remove the deck **{title}** ({cards}) from this chat? Answers and scores are kept.",
        "zh": "要从本群删除题库 **{title}**（{cards}）吗？作答记录和得分会保留。",
    },
    "remove_button": {"en": "🗑 Remove", "zh": "🗑 删除"},
    "cancel_button": {"en": "Cancel", "zh": "取消"},
    "remove_done": {"en": "🗑 Deck **{title}** removed.", "zh": "🗑 已删除题库 **{title}**。"},
    "remove_cancelled": {"en": "Nothing removed.", "zh": "未删除任何题库。"},
    "export_usage": {
        "en": "Use `/export <deck number or name> [apkg|csv]`; the numbers are in /decks.",
        "zh": "用法：`/export <题库编号或名称> [apkg|csv]`，编号见 /decks。",
    },
    "export_done": {
        "en": "📦 **{title}**: {cards} for Anki ({file}). Importing a later export again updates these notes instead of duplicating them.",
        "zh": "📦 **{title}**：{cards}，可导入 Anki（{file}）。以后再次导入新的导出文件会更新这些笔记，不会重复。",
    },
    "not_admin": {
        "en": "Only the group's admins can change its settings.",
        "zh": "只有群管理员可以修改本群设置。",
    },
    "search_usage": {
        "en": "Tell me what to look for: `/search dropout`.",
        "zh": "请给出关键词：`/search 过拟合`。",
    },
    "search_none": {"en": "No card matches “{query}”.", "zh": "没有匹配“{query}”的卡片。"},
    "search_title": {
        "en": "🔎 {count} cards match “{query}”:",
        "zh": "🔎 有 {count} 张卡片匹配“{query}”：",
    },
    "search_title.one": {
        "en": "🔎 {count} card matches “{query}”:",
        "zh": "🔎 有 {count} 张卡片匹配“{query}”：",
    },
    "search_more": {
        "en": "…and {more} more. Add words to narrow it down.",
        "zh": "……还有 {more} 张。加关键词缩小范围。",
    },
    "search_footer": {"en": "Open one with `/card <id>`.", "zh": "用 `/card <编号>` 查看。"},
    "card_usage": {
        "en": "Which card? `/card <id>` (from /search).",
        "zh": "哪张卡片？`/card <编号>`（编号见 /search）。",
    },
    "card_unknown": {"en": "There's no card `{card_id}`.", "zh": "没有编号为 `{card_id}` 的卡片。"},
    "card_ambiguous": {
        "en": "`{card_id}` fits several cards; type more of the id.",
        "zh": "`{card_id}` 对应多张卡片，请输入更长的编号。",
    },
    "lang_set": {"en": "This chat now speaks English.", "zh": "本群语言已设为中文。"},
    "lang_usage": {"en": "Use `/lang zh` or `/lang en`.", "zh": "用法：`/lang zh` 或 `/lang en`。"},
    "unknown_command": {
        "en": "I don't know /{command}. Try /help.",
        "zh": "没有 /{command} 这个命令。试试 /help。",
    },
    "reveal_button": {"en": "📖 Show the answer (ends the question)", "zh": "📖 公布答案（结束本题）"},
    "reveal_title": {
        "en": "📖 {name} asked for the answer: the question is closed. {right} of {count} answers were right.",
        "zh": "📖 {name} 请求公布答案，本题结束。共 {count} 人作答，{right} 人答对。",
    },
    "reveal_title.one": {
        "en": "📖 {name} asked for the answer: the question is closed. {right} of {count} answer was right.",
        "zh": "📖 {name} 请求公布答案，本题结束。共 {count} 人作答，{right} 人答对。",
    },
    "reveal_title_none": {
        "en": "📖 {name} asked for the answer: the question is closed. Nobody had answered it.",
        "zh": "📖 {name} 请求公布答案，本题结束。还没有人作答。",
    },
    "round_intro": {
        "en": "🎯 **Live round**: {count} questions, {seconds} s each. A right answer earns {points} points plus "
        "up to {points} more for speed; results after each question.",
        "zh": "🎯 **抢答赛**：共 {count} 题，每题 {seconds} 秒。答对得 {points} 分，答得越快另加最多 {points} 分；"
        "每题结束后公布结果。",
    },
    "round_intro.one": {
        "en": "🎯 **Live round**: {count} question, {seconds} s. A right answer earns {points} points plus "
        "up to {points} more for speed.",
        "zh": "🎯 **抢答赛**：共 {count} 题，限时 {seconds} 秒。答对得 {points} 分，答得越快另加最多 {points} 分。",
    },
    "round_question": {
        "en": "❓ **Question {number}/{total}** · {deck}",
        "zh": "❓ **第 {number}/{total} 题** · {deck}",
    },
    "round_countdown": {"en": "⏳ about {seconds} s left", "zh": "⏳ 还剩约 {seconds} 秒"},
    "round_time_up": {"en": "⏱ Time's up.", "zh": "⏱ 时间到。"},
    "round_locked": {
        "en": "🔒 Got it, {name}: {letter}. Results when the question closes.",
        "zh": "🔒 {name}，已记录你的答案 {letter}，本题结束后公布结果。",
    },
    "round_question_closed": {
        "en": "This round question is closed.",
        "zh": "这道抢答题已经结束了。",
    },
    "round_results": {"en": "📊 **Question {number}/{total}**", "zh": "📊 **第 {number}/{total} 题结果**"},
    "round_right": {
        "en": "Right: {names} · {answered} answered",
        "zh": "答对：{names} · 共 {answered} 人作答",
    },
    "round_nobody": {
        "en": "Nobody got it right ({answered} answered).",
        "zh": "没有人答对（共 {answered} 人作答）。",
    },
    "round_more": {"en": "and {more} more", "zh": "等另外 {more} 人"},
    "round_top": {"en": "Top 3: {board}", "zh": "前三名：{board}"},
    "round_final": {
        "en": "🏁 **Round over**: standings after {count} questions",
        "zh": "🏁 **抢答赛结束**：{count} 题后的排名",
    },
    "round_final.one": {
        "en": "🏁 **Round over**: standings after {count} question",
        "zh": "🏁 **抢答赛结束**：{count} 题后的排名",
    },
    "round_standing": {
        "en": "{place} {name}: {points} points · {right}/{total} right · {seconds} s on average",
        "zh": "{place} {name}：{points} 分 · 答对 {right}/{total} · 平均 {seconds} 秒",
    },
    "round_no_players": {"en": "Nobody answered.", "zh": "没有人作答。"},
    "round_again": {"en": "🔁 Play again", "zh": "🔁 再来一轮"},
    "round_running": {
        "en": "A round is already running here (question {number} of {total}). `/round stop` ends it.",
        "zh": "这里已经有一轮抢答在进行（第 {number}/{total} 题）。`/round stop` 可以结束它。",
    },
    "round_usage": {
        "en": "Use `/round [questions, 1-{most}] [decks]`, `/round stop` or `/round time [seconds]`.",
        "zh": "用法：`/round [题数 1-{most}] [题库]`、`/round stop` 或 `/round time [秒数]`。",
    },
    "round_none": {
        "en": "No round is running here. Start one with /round.",
        "zh": "这里没有进行中的抢答。用 /round 开始。",
    },
    "round_stop_refused": {
        "en": "Only the member who started the round or an admin can stop it.",
        "zh": "只有发起这轮抢答的人或管理员可以结束它。",
    },
    "round_stopped": {"en": "⏹ {name} stopped the round.", "zh": "⏹ {name} 结束了这轮抢答。"},
    "round_interrupted": {
        "en": "⚠️ The round was interrupted while the bot was offline, so it ends here.",
        "zh": "⚠️ 机器人离线期间抢答被中断，本轮到此结束。",
    },
    "round_time_is": {
        "en": "Round questions here take answers for {seconds} s. Admins change it with `/round time 20`.",
        "zh": "本群抢答每题作答时间为 {seconds} 秒。管理员可用 `/round time 20` 修改。",
    },
    "round_time_set": {
        "en": "Round questions here now take answers for {seconds} s.",
        "zh": "本群抢答每题作答时间已设为 {seconds} 秒。",
    },
    "round_time_usage": {
        "en": "Give the seconds per question, from {lowest} to {highest}: `/round time 20`.",
        "zh": "请给出每题秒数（{lowest} 到 {highest}）：`/round time 20`。",
    },
    "command_round": {"en": "A live round of timed questions", "zh": "限时抢答赛"},
    "option_round_questions": {"en": "How many questions (default 10)", "zh": "题数（默认 10）"},
    "option_round_seconds": {"en": "Seconds per question", "zh": "每题秒数"},
    "command_round_stop": {"en": "Stop this server's live round", "zh": "结束本服务器的抢答"},
    "command_round_time": {"en": "Seconds per round question here", "zh": "设置本服务器抢答每题秒数"},
    "command_start": {"en": "Introduction and commands", "zh": "介绍与命令"},
    "command_help": {"en": "Commands and the scoring rule", "zh": "命令与计分规则"},
    "command_quiz": {"en": "A multiple-choice question", "zh": "来一道选择题"},
    "command_score": {"en": "Your points and rank here", "zh": "你在本群的得分与排名"},
    "command_leaderboard": {"en": "This chat's top 10", "zh": "本群前 10 名"},
    "command_decks": {"en": "Which decks this chat uses", "zh": "本群使用的题库"},
    "command_upload": {
        "en": "Add a deck: send a file with this caption",
        "zh": "添加题库：发送文件并附上此命令",
    },
    "command_export": {"en": "A deck as an Anki package (or csv)", "zh": "把题库导出为 Anki 包（或 csv）"},
    "option_file": {
        "en": "A .md, .txt, .csv, .tsv or .apkg file",
        "zh": ".md、.txt、.csv、.tsv 或 .apkg 文件",
    },
    "option_deck_name": {"en": "The deck's name (default: the file name)", "zh": "题库名称（默认：文件名）"},
    "option_format": {"en": "apkg (default) or csv", "zh": "apkg（默认）或 csv"},
    "command_deck_remove": {"en": "Remove a deck uploaded here", "zh": "删除本群上传的题库"},
    "command_search": {"en": "Find cards by words", "zh": "按关键词搜索卡片"},
    "command_card": {"en": "Show one card with its answer", "zh": "查看一张卡片及答案"},
    "command_lang": {"en": "Set the chat's language (zh or en)", "zh": "设置本群语言（zh 或 en）"},
    "command_decks_use": {
        "en": "Choose this server's decks (numbers or names, or all)",
        "zh": "选择本服务器的题库（编号、名称或 all）",
    },
    "option_decks": {
        "en": "Deck numbers or names from /decks, or all",
        "zh": "题库编号或名称（见 /decks），或 all",
    },
    "option_words": {"en": "Words to look for", "zh": "要搜索的关键词"},
    "option_card_id": {"en": "The card's id (from /search)", "zh": "卡片编号（见 /search）"},
    "option_language": {"en": "zh or en", "zh": "zh 或 en"},
    "missing_permissions": {
        "en": "I don't have permission to post here. Ask a server admin to let me send messages in this channel.",
        "zh": "我没有在这里发消息的权限。请服务器管理员允许我在此频道发言。",
    },
    "command_failed": {
        "en": "Sorry, that didn't work. It has been logged; please try again.",
        "zh": "抱歉，出错了。已记录日志，请再试一次。",
    },
    "read_more": {"en": "the full answer: `/card {card_id}`", "zh": "完整答案：`/card {card_id}`"},
    "daily_question": {"en": "📅 **Daily question** · {day}", "zh": "📅 **每日一题** · {day}"},
    "daily_results": {"en": "📊 **Daily question results** · {day}", "zh": "📊 **每日一题结果** · {day}"},
    "daily_counts": {
        "en": "{answered} answered, {right} right.",
        "zh": "{answered} 人作答，{right} 人答对。",
    },
    "daily_first": {"en": "First right: {names}", "zh": "最先答对：{names}"},
    "daily_set": {
        "en": "📅 A daily question will be posted here at {time} ({zone}). Next: {next}. "
        "Answers count until an hour before the following one.",
        "zh": "📅 每日一题将在每天 {time}（{zone}）发到这里。下一次：{next}。作答截止到下一题前一小时。",
    },
    "daily_off": {"en": "📅 The daily question is off.", "zh": "📅 已关闭每日一题。"},
    "daily_not_set": {
        "en": "📅 No daily question here yet. Start one with `/daily set 09:00 Asia/Shanghai`.",
        "zh": "📅 这里还没有每日一题。用 `/daily set 09:00 Asia/Shanghai` 开启。",
    },
    "daily_status": {
        "en": "📅 Daily question at {time} ({zone}). Next: {next}.",
        "zh": "📅 每日一题：每天 {time}（{zone}）。下一次：{next}。",
    },
    "daily_decks": {"en": "From: {titles}.", "zh": "题库：{titles}。"},
    "daily_already": {
        "en": "📅 Today's question ({day}) is already out. Scroll up to answer it!",
        "zh": "📅 今天（{day}）的题目已经发过了，往上翻就能作答！",
    },
    "daily_usage": {
        "en": "Use `/daily set HH:MM [time zone] [decks]`, `/daily off`, `/daily status` or `/daily now`.",
        "zh": "用法：`/daily set HH:MM [时区] [题库]`、`/daily off`、`/daily status` 或 `/daily now`。",
    },
    "daily_bad_time": {
        "en": "I need a time like 09:00 (24-hour clock): `/daily set 09:00 Europe/Berlin`.",
        "zh": "请给出 24 小时制时间，例如：`/daily set 09:00 Asia/Shanghai`。",
    },
    "daily_bad_zone": {
        "en": "I don't know the time zone {zone}. Use an IANA name such as Europe/Berlin or Asia/Shanghai.",
        "zh": "不认识时区 {zone}。请用 IANA 名称，例如 Asia/Shanghai 或 Europe/Berlin。",
    },
    "command_daily": {
        "en": "The daily question: set, off, status, now",
        "zh": "每日一题：set、off、status、now",
    },
    "option_daily_action": {
        "en": "set a time, show the status, post today's now, or switch off",
        "zh": "设置时间、查看状态、立即发布今天的题，或关闭",
    },
    "option_daily_time": {"en": "Local time, HH:MM (for set)", "zh": "本地时间 HH:MM（用于 set）"},
    "option_daily_zone": {"en": "IANA time zone, e.g. Asia/Shanghai", "zh": "IANA 时区，例如 Asia/Shanghai"},
    "streak": {"en": "🔥 {days} in a row", "zh": "🔥 连续 {days} 天"},
    "score_streak": {"en": " · daily streak {days} 🔥", "zh": " · 连续答题 {days} 天 🔥"},
    "score_longest": {"en": " · longest {days} 🏅", "zh": " · 最长连续 {days} 天 🏅"},
    "streak_longest": {"en": "🏅 longest {days}", "zh": "🏅 最长 {days} 天"},
    "leaderboard_period": {
        "en": "🏆 **Leaderboard** · {period}",
        "zh": "🏆 **排行榜** · {period}",
    },
    "period_today": {"en": "today", "zh": "今天"},
    "period_week": {"en": "this week", "zh": "本周"},
    "period_month": {"en": "this month", "zh": "本月"},
    "period_all": {"en": "all time", "zh": "总榜"},
    "leaderboard_usage": {
        "en": "Use `/leaderboard`, `/leaderboard today`, `week`, `month` or `all`.",
        "zh": "用法：`/leaderboard`、`/leaderboard today`、`week`、`month` 或 `all`。",
    },
    "study_card": {"en": "🃏 **Flashcard** for {name} · {where}", "zh": "🃏 **闪卡** · {name} · {where}"},
    "study_prompt": {
        "en": "Recall the answer, then choose Show answer, or answer in your own words: `/answer …`.",
        "zh": "先回想答案，再选“显示答案”；或用自己的话作答：`/answer …`。",
    },
    "study_show": {"en": "Show answer", "zh": "显示答案"},
    "study_write": {"en": "✍️ Answer in my words", "zh": "✍️ 用自己的话作答"},
    "study_write_hint": {
        "en": "Type `/answer` followed by your answer (on Telegram you can also reply to the card).",
        "zh": "输入 `/answer` 加上你的答案（在 Telegram 也可以直接回复这张卡片）。",
    },
    "study_rate": {"en": "How well did you recall it?", "zh": "你记得怎么样？"},
    "rating_again": {"en": "Again", "zh": "忘了"},
    "rating_hard": {"en": "Hard", "zh": "困难"},
    "rating_good": {"en": "Good", "zh": "良好"},
    "rating_easy": {"en": "Easy", "zh": "简单"},
    "study_rated": {
        "en": "Saved: {rating}. This card comes back in {when}.",
        "zh": "已记录：{rating}。这张卡片将在 {when}后再次出现。",
    },
    "study_next": {"en": "Next card", "zh": "下一张"},
    "study_nothing": {
        "en": "No cards to study in these decks.",
        "zh": "这些题库里没有可学习的卡片。",
    },
    "study_all_done": {
        "en": "🎉 Nothing due right now. Your next review is at {when}.",
        "zh": "🎉 现在没有待复习的卡片。下一次复习：{when}。",
    },
    "study_new_limit": {
        "en": "🎉 All due reviews done, and you have met today's {limit} new cards. See you tomorrow!",
        "zh": "🎉 到期的卡片都复习完了，今天的 {limit} 张新卡也已学完。明天见！",
    },
    "study_not_yours": {
        "en": "That card isn't waiting for you. Start with /study.",
        "zh": "这张卡片不是给你的。用 /study 开始学习。",
    },
    "study_already_rated": {
        "en": "You already rated this card; nothing changed. /study for the next one.",
        "zh": "这张卡片已经评过分了，未作更改。用 /study 继续。",
    },
    "answer_empty": {
        "en": "There's nothing to grade in that answer. Write it in words: `/answer …`.",
        "zh": "这个答案里没有可评分的内容，请用文字作答：`/answer …`。",
    },
    "answer_too_long": {
        "en": "That answer is too long to grade (over {limit} characters). Keep to the key points.",
        "zh": "答案太长了（超过 {limit} 个字符），请只写要点。",
    },
    "grade_score": {"en": "📝 Score: **{score}/100** ({by})", "zh": "📝 得分：**{score}/100**（{by}）"},
    "graded_key_points": {"en": "graded by key points", "zh": "按要点评分"},
    "graded_model": {"en": "graded by the model", "zh": "由模型评分"},
    "grade_fallback": {
        "en": "The model grader did not answer, so the key points graded this one.",
        "zh": "模型评分没有响应，本次按要点评分。",
    },
    "grade_feedback": {"en": "💬 The model says: {feedback}", "zh": "💬 模型点评：{feedback}"},
    "grade_capped": {
        "en": "A list of words without sentences counts at most as Hard: say how the terms connect.",
        "zh": "只罗列词语、没有成句的答案最多评为“困难”：请说明这些术语之间的关系。",
    },
    "grade_gave_up": {
        "en": "No problem: here is what to remember. Rate it Again and the card comes back soon.",
        "zh": "没关系，下面是要记住的要点。选“忘了”，这张卡片很快会再出现。",
    },
    "grade_unsure": {
        "en": "⚠️ I can't grade this answer reliably: {reason} Compare it with the reference and rate yourself.",
        "zh": "⚠️ 这个答案无法可靠地自动评分：{reason}请对照参考答案，自己评分。",
    },
    "grade_unsure_language": {
        "en": "it is in the other language, and few of the reference's key terms have a translation I know.",
        "zh": "答案用的是另一种语言，而参考答案中我知道译名的关键术语太少。",
    },
    "grade_unsure_thin": {
        "en": "the reference has too few key terms to check an answer against.",
        "zh": "参考答案的关键术语太少，无法据此比对。",
    },
    "grade_unsure_short": {
        "en": "the answer is very short for such a long reference.",
        "zh": "相对于这么长的参考答案，这个答案太短了。",
    },
    "grade_unsure_unread": {
        "en": "I found no term in it that the notes use.",
        "zh": "答案中没有笔记里出现过的术语。",
    },
    "grade_your_answer": {"en": "**Your answer**", "zh": "**你的答案**"},
    "grade_rate_yourself": {
        "en": "How well did you recall it? Pick a rating.",
        "zh": "你记得怎么样？请选择一个评分。",
    },
    "grade_covered": {"en": "**Covered**", "zh": "**答到的要点**"},
    "grade_missed": {"en": "**Missed**", "zh": "**遗漏的要点**"},
    "grade_confirm": {
        "en": "Proposed rating: **{rating}**. Choose ✓ to confirm, or pick another.",
        "zh": "建议评分：**{rating}**。选 ✓ 确认，或选择其他评分。",
    },
    "stats_title": {"en": "📈 **{name}'s progress**", "zh": "📈 **{name} 的学习进度**"},
    "stats_deck": {
        "en": "{title}: {new} new · {learning} learning · {due} due today · {mastered}/{total} mastered",
        "zh": "{title}：新卡 {new} · 学习中 {learning} · 今日到期 {due} · 已掌握 {mastered}/{total}",
    },
    "stats_reviews": {
        "en": "Last 30 days: {reviews}, {accuracy}% recalled · study streak {streak}",
        "zh": "最近 30 天：复习 {reviews}，记住 {accuracy}% · 连续学习 {streak}",
    },
    "review_title": {
        "en": "🔁 **Mistakes drill** for {name} · {left} to go · {where}",
        "zh": "🔁 **错题重练** · {name} · 还有 {left} 题 · {where}",
    },
    "review_empty": {
        "en": "🎉 No mistakes left to review. Keep learning with /study.",
        "zh": "🎉 没有待重练的错题了。用 /study 继续学习吧。",
    },
    "review_empty_section": {
        "en": "🎉 No mistakes left in {section}. Keep learning with /study.",
        "zh": "🎉 {section} 里没有待重练的错题了。用 /study 继续学习吧。",
    },
    "review_right": {
        "en": "✅ Right: off your mistakes list ({left} left). No points in the drill.",
        "zh": "✅ 答对了，已移出错题本（还剩 {left} 题）。重练不计分。",
    },
    "review_wrong": {
        "en": "❌ Not yet: it stays on your list ({left} left).",
        "zh": "❌ 还没掌握，留在错题本里（还剩 {left} 题）。",
    },
    "review_next": {"en": "Next mistake", "zh": "下一道错题"},
    "review_not_yours": {
        "en": "That card is not on your mistakes list. Start your own drill with /review.",
        "zh": "这道题不在你的错题本里。用 /review 开始你自己的重练。",
    },
    "weak_title": {
        "en": "🎯 **Weakest sections** (of {sections} with enough answers):",
        "zh": "🎯 **最薄弱的章节**（共 {sections} 个章节有足够作答）：",
    },
    "weak_line": {
        "en": "{number}. {section}: {accuracy}% ({right}/{answered})",
        "zh": "{number}. {section}：正确率 {accuracy}%（{right}/{answered}）",
    },
    "weak_none": {
        "en": "🎯 Accuracy per section appears once a section has {least} answers or reviews.",
        "zh": "🎯 某个章节累计作答或复习 {least} 次后，这里会显示各章节正确率。",
    },
    "weak_drill": {"en": "🔁 Drill: {section}", "zh": "🔁 重练：{section}"},
    "weak_group_title": {
        "en": "👥 **This group over {days} days**",
        "zh": "👥 **本群最近 {days} 天**",
    },
    "weak_group_players": {
        "en": "Answered this week: {players} of {members} members",
        "zh": "本周作答：{players} 人（共 {members} 名成员）",
    },
    "weak_group_sections": {"en": "**Weakest sections**", "zh": "**最薄弱的章节**"},
    "weak_group_cards": {"en": "**Most missed cards**", "zh": "**错得最多的卡片**"},
    "weak_group_card": {
        "en": "`{card_id}` {question} · {accuracy}% ({right}/{answered})",
        "zh": "`{card_id}` {question} · 正确率 {accuracy}%（{right}/{answered}）",
    },
    "weak_group_none": {
        "en": "Not enough answers yet: a section needs {least}.",
        "zh": "作答还不够：每个章节至少需要 {least} 次作答。",
    },
    "weak_group_only": {
        "en": "`/stats group` is for groups. Here, /stats shows your own progress.",
        "zh": "`/stats group` 只能在群里使用。这里用 /stats 查看你自己的进度。",
    },
    "weak_group_admins": {
        "en": "Only the group's admins can see the group's statistics.",
        "zh": "只有群管理员可以查看本群统计。",
    },
    "command_review": {"en": "Drill the questions you got wrong", "zh": "重练答错的题"},
    "command_stats_group": {"en": "The group's weak spots (admins)", "zh": "本群薄弱环节（管理员）"},
    "chart_activity": {
        "en": "Last {weeks} weeks: {count} answers and reviews",
        "zh": "最近 {weeks} 周：作答与复习共 {count} 次",
    },
    "chart_activity.one": {
        "en": "Last {weeks} weeks: {count} answer or review",
        "zh": "最近 {weeks} 周：作答与复习共 {count} 次",
    },
    "chart_weekdays": {"en": "Mon Tue Wed Thu Fri Sat Sun", "zh": "周一 周二 周三 周四 周五 周六 周日"},
    "chart_mastery": {"en": "Mastery per deck (%)", "zh": "各题库掌握情况（%）"},
    "chart_mastered": {"en": "mastered", "zh": "已掌握"},
    "chart_learning": {"en": "learning", "zh": "学习中"},
    "chart_deck": {"en": "deck {number}", "zh": "题库 {number}"},
    "chart_weakest": {"en": "Weakest sections", "zh": "最薄弱的章节"},
    "chart_section": {"en": "section {number}", "zh": "章节 {number}"},
    "chart_accuracy": {"en": "accuracy (%)", "zh": "正确率（%）"},
    "chart_no_sections": {
        "en": "Answer a few questions (/quiz, /study)\nand your weakest sections show here.",
        "zh": "做几道题（/quiz、/study），\n这里就会显示你最薄弱的章节。",
    },
    "remind_set": {
        "en": "⏰ I'll remind you at {time} ({zone}) on days you have cards due. Next: {next}.",
        "zh": "⏰ 有到期卡片的日子，我会在 {time}（{zone}）提醒你。下一次：{next}。",
    },
    "remind_off": {"en": "⏰ Reminders are off.", "zh": "⏰ 已关闭提醒。"},
    "streak_at_risk": {
        "en": "🔥 Your {days}-day daily streak ends in {minutes} min: today's daily question in your group is "
        "still waiting for your answer.",
        "zh": "🔥 你连续 {days} 天的每日一题记录还有 {minutes} 分钟就要中断了：群里今天的每日一题还在等你作答。",
    },
    "remind_usage": {
        "en": "Use `/remind 20:00 [time zone]` or `/remind off`.",
        "zh": "用法：`/remind 20:00 [时区]` 或 `/remind off`。",
    },
    "remind_private": {
        "en": "Reminders are private: set them in a private chat with me.",
        "zh": "提醒是私人的，请在与我的私聊中设置。",
    },
    "remind_text": {
        "en": "⏰ You have {count} cards due for review.",
        "zh": "⏰ 你有 {count} 张卡片待复习。",
    },
    "remind_text.one": {
        "en": "⏰ You have {count} card due for review.",
        "zh": "⏰ 你有 {count} 张卡片待复习。",
    },
    "answer_usage": {
        "en": "Answer the open question with its letter (`/answer B`), or start a flashcard with /study first.",
        "zh": "用字母回答当前题目（`/answer B`），或先用 /study 开始一张闪卡。",
    },
    "option_deck": {
        "en": "A deck number or name from /decks (optional)",
        "zh": "题库编号或名称（可选，见 /decks）",
    },
    "option_answer": {"en": "Your answer, in your own words", "zh": "用你自己的话作答"},
    "option_remind_time": {"en": "HH:MM, or off", "zh": "HH:MM，或 off"},
    "command_study": {"en": "Your next flashcard (spaced repetition)", "zh": "下一张闪卡（间隔重复）"},
    "command_answer": {"en": "Answer the open card in your own words", "zh": "用自己的话回答当前卡片"},
    "command_stats": {"en": "Your progress per deck, with a chart", "zh": "各题库学习进度与图表"},
    "command_remind": {"en": "A daily reminder when cards are due", "zh": "有到期卡片时每日提醒"},
    "command_as": {
        "en": "Play as someone else at this terminal (to try the leaderboard)",
        "zh": "在本终端换一个人来玩（可试试排行榜）",
    },
    "command_quit": {"en": "Leave the console chat", "zh": "退出终端聊天"},
    "console_banner": {
        "en": "study-bot console: you are {name}. Type /help for the commands, a button's label "
        "(the letter or number in [ ]) to press it, /quit to leave.",
        "zh": "study-bot 终端：你是 {name}。输入 /help 查看命令，输入按钮 [ ] 里的字母或数字来按下它，/quit 退出。",
    },
    "console_hint": {
        "en": "Type a command such as /quiz or /help, or a button's label.",
        "zh": "请输入命令，例如 /quiz 或 /help，或输入按钮的标签。",
    },
    "console_renamed": {"en": "You are now {name}.", "zh": "你现在是 {name}。"},
    "console_as_usage": {
        "en": "Usage: /as NAME (play as another person, e.g. to try the leaderboard)",
        "zh": "用法：/as 名字（换一个人来玩，例如试试排行榜）",
    },
    "console_bye": {"en": "Bye!", "zh": "再见！"},
    "console_no_input": {
        "en": "No input: standard input is closed or empty, so the console chat ends.",
        "zh": "没有输入：标准输入已关闭或为空，终端聊天结束。",
    },
    "console_too_long": {
        "en": "That line is too long (over {limit} KiB), so it was ignored. Keep to the key points.",
        "zh": "这一行太长了（超过 {limit} KiB），已忽略。请只写要点。",
    },
    "console_failed": {
        "en": "Something went wrong with that; see the log. Your earlier answers are saved.",
        "zh": "处理出错了，详见日志。之前的作答都已保存。",
    },
    "console_chart_saved": {"en": "(chart saved to {path})", "zh": "（图表已保存到 {path}）"},
    "console_file_saved": {"en": "(file saved to {path})", "zh": "（文件已保存到 {path}）"},
    "console_no_file": {
        "en": "There is no file {path} on this machine. Give its path (in quotes if it has spaces): "
        "/upload ~/notes/deck.md [name].",
        "zh": "这台机器上没有文件 {path}。请给出文件路径（含空格时加引号）：/upload ~/notes/deck.md [名称]。",
    },
    "weekdays": {"en": "Mon Tue Wed Thu Fri Sat Sun", "zh": "一 二 三 四 五 六 日"},
    "date_time": {"en": "{weekday} {date} {time}", "zh": "{date}（周{weekday}）{time}"},
    "n_minutes": {"en": "{count} min", "zh": "{count} 分钟"},
    "n_hours": {"en": "{count} h", "zh": "{count} 小时"},
    "n_days": {"en": "{count} days", "zh": "{count} 天"},
    "n_days.one": {"en": "{count} day", "zh": "{count} 天"},
    "n_cards": {"en": "{count} cards", "zh": "{count} 张卡片"},
    "n_cards.one": {"en": "{count} card", "zh": "{count} 张卡片"},
    "n_points": {"en": "{count} points", "zh": "{count} 分"},
    "n_points.one": {"en": "{count} point", "zh": "{count} 分"},
    "n_reviews": {"en": "{count} reviews", "zh": "{count} 次"},
    "n_reviews.one": {"en": "{count} review", "zh": "{count} 次"},
    "sent_privately": {"en": "🔒 Sent to you privately.", "zh": "🔒 已私下发给你。"},
    "sent_to_channel": {"en": "✅ Posted in the channel.", "zh": "✅ 已发到频道。"},
    "bad_action": {
        "en": "That button is out of date. Try the command again.",
        "zh": "这个按钮已失效，请重新发送命令。",
    },
}


def text(key: str, language: str, **values: object) -> str:
    """The string `key` in `language` (English when it has no translation), with `values` filled in.

    A string with a `{count}` placeholder may have a `<key>.one` variant, used when count is 1
    ("1 day", not "1 days")."""
    if values.get("count") == 1 and f"{key}.one" in _STRINGS:
        key = f"{key}.one"
    variants = _STRINGS[key]
    return variants.get(language, variants["en"]).format(**values)


def when(moment: datetime, language: str) -> str:
    """A local date and time as a chat in `language` reads it: `Tue 2026-11-03 09:00`, `2026-11-03（周二）09:00`."""
    weekday = text("weekdays", language).split()[moment.weekday()]
    return text(
        "date_time",
        language,
        weekday=weekday,
        date=moment.strftime("%Y-%m-%d"),
        time=moment.strftime("%H:%M"),
    )


def optional(key: str, language: str, **values: object) -> str:
    """Like `text`, but an empty string when there is no such key."""
    return text(key, language, **values) if key in _STRINGS else ""


def language_for_locale(locale: str | None) -> str:
    """zh* locales (zh, zh-CN, zh_TW.UTF-8, …) give Chinese; every other locale English."""
    return "zh" if locale and locale.lower().replace("_", "-").startswith("zh") else "en"


def all_keys() -> list[str]:
    return list(_STRINGS)


def translations(key: str) -> dict[str, str]:
    return dict(_STRINGS[key])
