# The same loop with plain numbers (Python has no units).
total, rate, dt, i = 0.0, 3000.0, 1 / 365, 0
while i < 10000000:
    total = total + rate * dt
    if total > 1e6:
        total = total - 1e6
    i = i + 1
print(total)
