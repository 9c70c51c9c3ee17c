# Strings: format numbers, build and compare strings, key a map by them.
m, n = {}, 0
for i in range(300000):
    s = "plant_" + str(i % 5000) + ":" + str(i * 0.5)
    m[s] = i
    n += len(s)
print(n + len(m))
