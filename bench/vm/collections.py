# List and map access: fill a list and a map, then read them 2*10^6 times.
xs, m = [], {}
for i in range(1000):
    xs.append(i * 1000.0)
    m[i] = i * 2000.0
total, i = 0.0, 0
while i < 2000000:
    k = i % 1000
    total = total + xs[k] + m[k]
    i += 1
print(total)
