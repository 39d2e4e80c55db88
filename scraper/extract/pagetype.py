def is_article(doc, record): return False
