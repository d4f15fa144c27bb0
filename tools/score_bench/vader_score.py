"""The Python side of score_vs_vader.py: vaderSentiment 3.3.2 over stdin, one JSON object per line."""
import json
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

analyzer = SentimentIntensityAnalyzer()
out = sys.stdout
for line in sys.stdin:
    out.write(json.dumps(analyzer.polarity_scores(line.rstrip("\r\n"))) + "\n")
