def first(tokens):
    return tokens[0]
