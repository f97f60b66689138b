"""Grading an answer in the learner's own words: key terms, key points, an honest grade, a model port."""

from bot.core.grading.grade import AGAIN, EASY, GOOD, HARD, AnswerGrader, Grade, Point, rating_for
from bot.core.grading.keypoints import KeyPointGrader

__all__ = ["AGAIN", "EASY", "GOOD", "HARD", "AnswerGrader", "Grade", "KeyPointGrader", "Point", "rating_for"]
