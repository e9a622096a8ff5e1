g = 1
while True:
    print(g, flush=True)
    if input().strip() == "correct":
        break
    g += 1
