# Closure calls: a counter made by a function, called 3*10^6 times.
def counter():
    n = 0
    def inc():
        nonlocal n
        n += 1
        return n
    return inc
c = counter()
i = 0
while i < 3000000:
    c()
    i += 1
print(c())
