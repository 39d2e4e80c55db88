def fill(doc, record): pass
