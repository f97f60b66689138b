"""Study companion chat bot: quizzes and flashcards from Markdown notes, for Discord, Telegram and a terminal."""
