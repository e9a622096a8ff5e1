from pick import first

input()
print(first(input().split()))
