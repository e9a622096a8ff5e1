# Bug: only compares the numbers of '(' and ')', ignoring their order.
s = input().strip()
print(abs(s.count("(") - s.count(")")))
